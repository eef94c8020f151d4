using System.Security.Cryptography;

namespace Feedstand.WebSub;

/// <summary>
/// <c>X-Hub-Signature: method=hex</c>: an HMAC of the body under the subscription's secret
/// (WebSub §8). sha256 is what the hub signs with; sha1, sha384 and sha512 are accepted from hubs
/// that use them. Compared in constant time.
/// </summary>
public static class HubSignature
{
    public const string HeaderName = "X-Hub-Signature";

    /// <summary>The header value for <paramref name="body"/>: <c>sha256=…</c>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Whether <paramref name="header"/> is a valid signature of <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static bool IsValid(string? header, string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }
        var equals = header.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return false;
        }
        var method = header[..equals].Trim().ToLowerInvariant();
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(equals + 1).Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        var key = System.Text.Encoding.UTF8.GetBytes(secret);
        byte[]? expected = method switch
        {
#pragma warning disable CA5350 // sha1 only verifies what a hub that offers nothing better sent (WebSub §8 lists it)
            "sha1" => HMACSHA1.HashData(key, body),
#pragma warning restore CA5350
            "sha256" => HMACSHA256.HashData(key, body),
            "sha384" => HMACSHA384.HashData(key, body),
            "sha512" => HMACSHA512.HashData(key, body),
            _ => null,
        };
        return expected is not null && CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
