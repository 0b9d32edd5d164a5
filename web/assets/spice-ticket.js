// The broker serves this module as /spice-html5/ticket.js, in place of the distro's.
//
// spice-html5's rsa_encrypt writes the encrypted ticket out as a big number's hex digits, which drops leading zero
// bytes. About one channel link in 256 then sends a ticket one byte short, SPICE cannot decrypt it ("oaep decoding
// error" in the VM's log) and the console shows "Permission denied". This module wraps the distro's, served as
// /spice-html5/ticket-upstream.js, and pads the encrypted ticket back to the key's length.
import { create_rsa_from_mb, rsa_encrypt as encryptUnpadded } from "/spice-html5/ticket-upstream.js";

export { create_rsa_from_mb };

/** The ticket `str` encrypted with `rsa` (RSA-OAEP), as bytes: exactly as many as the key has. */
export function rsa_encrypt(rsa, str) {
  const encrypted = encryptUnpadded(rsa, str);
  if (!encrypted) return encrypted;
  const keyLength = (rsa.n.bitLength() + 7) >> 3;
  return new Array(Math.max(0, keyLength - encrypted.length)).fill(0).concat(encrypted);
}
