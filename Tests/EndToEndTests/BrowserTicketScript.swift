import Foundation

/// Headless Chromium encrypting SPICE tickets with the `ticket.js` module the broker serves to spice-html5, as the
/// console does for every channel it links, and Python decrypting them with the private key, as the SPICE server does.
final class BrowserTicketScript: BrowserRun {
    /// Starts the script against the broker's pages at `BrokerUnderTest.portalOrigin`.
    init(ticket: String) throws {
        let profile = try Scratch.directory("chromium-profile")
        try super.init(
            name: "browser-ticket", source: Self.source,
            arguments: [BrokerUnderTest.portalOrigin, profile.path, ticket, E2E.artifact("browser-ticket.png").path])
    }

    /// Arguments: portal base URL, Chromium profile folder, ticket, screenshot path (on failure only). Makes a
    /// 1024-bit RSA key (SPICE's size) and gives its public half, DER-encoded as SPICE sends it, to the page; the page
    /// encrypts the ticket with the served module until three results begin with a zero byte (the case the distro's
    /// module gets wrong, one in 256) and with the distro's module as often, for comparison. Prints `encrypted` with
    /// what came out and whether each decrypts back to the ticket.
    static let source = BrowserScriptPrelude.source + #"""
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
        """#
}

/// What `BrowserTicketScript` printed: its tickets as the served module and as the distro's module encrypted them.
struct TicketsEncrypted: Decodable, CustomStringConvertible {
    struct Summary: Decodable, CustomStringConvertible {
        let tries: Int
        /// Every length the encrypted tickets had, in bytes; SPICE reads exactly 128.
        let lengths: [Int]
        /// Full-length results that begin with a zero byte.
        let zeroLed: Int
        /// Results shorter than the key.
        let short: Int
        /// Full-length results the private key decrypts back to the ticket.
        let decrypted: Int

        var description: String {
            "\(tries) tickets, lengths \(lengths), \(zeroLed) beginning with zero, \(short) short, \(decrypted) decrypted"
        }
    }

    let served: Summary
    let distro: Summary

    var description: String { "served module: \(served); distro's module: \(distro)" }
}
