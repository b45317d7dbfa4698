import { describe, expect, it } from "vitest";
import { bytesToBase64Url } from "../../src/util/base64.js";
import { sha256Base64Url, TokenSigner } from "../../src/util/signed-token.js";

describe("TokenSigner", () => {
  it("signs a payload into a token that verifies back to it", async () => {
    const signer = new TokenSigner("a secret");
    const token = await signer.sign({ a: 1, list: ["x"] });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    await expect(signer.verify(token)).resolves.toEqual({ a: 1, list: ["x"] });
  });

  it("verifies across signers with the same secret (string or bytes), not with another", async () => {
    const token = await new TokenSigner("shared").sign({ n: 1 });
    await expect(new TokenSigner("shared").verify(token)).resolves.toEqual({ n: 1 });
    await expect(new TokenSigner(new TextEncoder().encode("shared")).verify(token)).resolves.toEqual({
      n: 1,
    });
    await expect(new TokenSigner("other").verify(token)).resolves.toBeUndefined();
    // No secret: a random key per signer.
    const random = new TokenSigner();
    await expect(random.verify(await random.sign(true))).resolves.toBe(true);
    await expect(new TokenSigner().verify(await random.sign(true))).resolves.toBeUndefined();
  });

  it("refuses a token whose payload or tag was changed, or that is not a token", async () => {
    const signer = new TokenSigner("k");
    const token = await signer.sign({ admin: false });
    const [body, tag] = token.split(".") as [string, string];
    const forgedBody = bytesToBase64Url(new TextEncoder().encode(JSON.stringify({ admin: true })));
    const flipped = tag.slice(0, -1) + (tag.endsWith("A") ? "B" : "A");
    for (const bad of [
      `${forgedBody}.${tag}`,
      `${body}.${flipped}`,
      `${token}-TAMPERED`,
      `${token}.`,
      `${body}.`,
      `.${tag}`,
      body,
      "",
      "not a token at all",
    ]) {
      await expect(signer.verify(bad), bad).resolves.toBeUndefined();
    }
  });
});

describe("sha256Base64Url", () => {
  it("gives the SHA-256 of the UTF-8 text in base64url", async () => {
    // SHA-256("abc"), RFC 6234's test vector.
    await expect(sha256Base64Url("abc")).resolves.toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  });
});
