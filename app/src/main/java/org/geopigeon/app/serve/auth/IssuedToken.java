package org.geopigeon.app.serve.auth;

/**
 * A token just created: the only moment its secret exists outside the client.
 *
 * @param info   what was stored
 * @param secret the token to hand to the user ({@code gpt_} + 43 base64url characters, 256 random bits)
 */
public record IssuedToken(TokenInfo info, String secret) {

    @Override
    public String toString() {
        return "IssuedToken[" + info + ", secret=***]";
    }
}
