// Encryption of API keys at rest: AES-GCM-256 with a key derived from the user's passphrase by PBKDF2-SHA256
// (random 16-byte salt per vault, random 12-byte IV per value). The derived key is non-extractable and lives in
// memory only, for this tab's session.
import { DbError, type KeyVault, type SealedValue } from '../domain';

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const PBKDF2_ITERATIONS = 600_000;
const CHECK_TEXT = 'int-crucible key vault v1';

export class WrongPassphraseError extends DbError<'wrong_passphrase'> {
  constructor() {
    super('wrong_passphrase', {});
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

async function deriveKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
}

export async function seal(key: CryptoKey, plaintext: string): Promise<SealedValue> {
  const iv = randomBytes(12);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(plaintext)));
  return { iv: toBase64(iv), ciphertext: toBase64(ciphertext) };
}

export async function unseal(key: CryptoKey, sealed: SealedValue): Promise<string> {
  try {
    const plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv) }, key, fromBase64(sealed.ciphertext));
    return new TextDecoder().decode(plaintext);
  } catch {
    // AES-GCM authenticates: a wrong key (or tampered data) fails here rather than yielding garbage.
    throw new WrongPassphraseError();
  }
}

export async function createVault(passphrase: string, iterations = PBKDF2_ITERATIONS): Promise<{ vault: KeyVault; key: CryptoKey }> {
  const salt = randomBytes(16);
  const key = await deriveKey(passphrase, salt, iterations);
  return { vault: { kdf: 'PBKDF2-SHA256', iterations, salt: toBase64(salt), check: await seal(key, CHECK_TEXT) }, key };
}

/** The session key for this vault, or WrongPassphraseError. */
export async function openVault(vault: KeyVault, passphrase: string): Promise<CryptoKey> {
  const key = await deriveKey(passphrase, fromBase64(vault.salt), vault.iterations);
  if ((await unseal(key, vault.check)) !== CHECK_TEXT) throw new WrongPassphraseError();
  return key;
}
