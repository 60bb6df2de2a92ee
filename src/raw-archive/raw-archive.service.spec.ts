import { redactUrl, sha256Hex } from './raw-archive.service';

describe('raw archive helpers', () => {
  it('removes secrets from URLs', () => {
    expect(redactUrl('https://u:p@lgsp.example/x?maTinh=44&client_secret=abc&api_key=k')).toBe(
      'https://lgsp.example/x?maTinh=44&client_secret=REDACTED&api_key=REDACTED',
    );
  });
  it('hashes with SHA-256', () => {
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
