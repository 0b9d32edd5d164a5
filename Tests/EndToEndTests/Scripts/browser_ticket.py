# The ticket encryption script (run by `BrowserTicketScript`). Arguments: portal base URL, Chromium profile folder,
# ticket, screenshot path (on failure only). Makes a 1024-bit RSA key (SPICE's size) and gives its public half,
# DER-encoded as SPICE sends it, to the page; the page encrypts the ticket with the served module until three results
# begin with a zero byte (the case the distro's module gets wrong, one in 256) and with the distro's module as often,
# for comparison. Prints `encrypted` with what came out and whether each decrypts back to the ticket.
from saffron_browser import *

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

base, profile, ticket, screenshot = sys.argv[1:5]
key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
public_der = key.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
ENCRYPT = '''
const [keyHex, ticket, done] = arguments;
const key = new Uint8Array(keyHex.match(/../g).map((pair) => parseInt(pair, 16))).buffer;
Promise.all([import("/spice-html5/ticket.js"), import("/spice-html5/ticket-upstream.js")]).then(([served, distro]) => {
  const rsa = served.create_rsa_from_mb(key, 0);
  const served_results = [], distro_results = [];
  let zeroLed = 0;
  while (zeroLed < 3 && served_results.length < 40000) {
    const bytes = served.rsa_encrypt(rsa, ticket + "\0");
    if (bytes[0] === 0) zeroLed++;
    served_results.push(bytes);
    distro_results.push(distro.rsa_encrypt(rsa, ticket + "\0"));
  }
  done({served: served_results, distro: distro_results});
}).catch((error) => done({error: String(error)}));
'''

def opens(encrypted):
    try:
        return key.decrypt(bytes(encrypted), OAEP) == (ticket + "\0").encode()
    except ValueError:
        return False

def summary(results):
    return {
        "tries": len(results),
        "lengths": sorted(set(len(r) for r in results)),
        "zeroLed": sum(1 for r in results if len(r) == 128 and r[0] == 0),
        "short": sum(1 for r in results if len(r) < 128),
        "decrypted": sum(1 for r in results if len(r) == 128 and opens(r)),
    }

def encrypt(driver):
    driver.get(base + "/")
    driver.set_script_timeout(120)
    result = driver.execute_async_script(ENCRYPT, public_der.hex(), ticket)
    if "error" in result:
        raise RuntimeError("the page could not encrypt: " + result["error"])
    say("encrypted", json.dumps({"served": summary(result["served"]), "distro": summary(result["distro"])}))

driver = browser(profile)
run(lambda: encrypt(driver), {"browser": driver}, screenshot)
