using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Feedstand.Data;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Media;

/// <summary>
/// Signs and checks <c>/media/{signature}/{url}</c> paths: HMAC-SHA256 of the absolute URL with a key
/// kept in the database (<c>app_secrets</c>), so signatures survive restarts and every node on the
/// same database accepts the others'. The key is loaded once at start (<see cref="LoadKeyAsync"/>).
/// </summary>
public sealed class MediaSigner
{
    public const string KeyName = "media-signing";

    private byte[]? _key;

    /// <summary>Whether <see cref="LoadKeyAsync"/> ran: a CLI command that never serves pages has no key.</summary>
    public bool HasKey => _key is not null;

    /// <summary>Reads the shared key, creating it when the database has none (the first node wins a race).</summary>
    public async Task LoadKeyAsync(FeedstandDb db, TimeProvider clock, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        var stored = await db.AppSecrets.AsNoTracking().Where(s => s.Name == KeyName).Select(s => s.Value).SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (stored is null)
        {
            db.AppSecrets.Add(new AppSecret { Name = KeyName, Value = RandomNumberGenerator.GetBytes(32), CreatedAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Another node created it between our read and our insert: theirs is the key.
                db.ChangeTracker.Clear();
            }
            stored = await db.AppSecrets.AsNoTracking().Where(s => s.Name == KeyName).Select(s => s.Value).SingleAsync(ct).ConfigureAwait(false);
        }
        _key = stored;
    }

    /// <summary>Sets the key directly (tests).</summary>
    internal void UseKey(byte[] key) => _key = key;

    /// <summary>The path that serves <paramref name="absoluteUrl"/> through the proxy.</summary>
    public string PathFor(string absoluteUrl)
    {
        ArgumentNullException.ThrowIfNull(absoluteUrl);
        var url = Encoding.UTF8.GetBytes(absoluteUrl);
        return "/media/" + Base64Url.EncodeToString(Sign(url)) + "/" + Base64Url.EncodeToString(url);
    }

    /// <summary>The URL a path names, when its signature is ours (compared in constant time); null otherwise.</summary>
    public string? Verify(string signature, string encodedUrl)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(encodedUrl);
        if (signature.Length != 43 || encodedUrl.Length is 0 or > 8192)
        {
            return null;
        }
        byte[] url, given;
        try
        {
            url = Base64Url.DecodeFromChars(encodedUrl);
            given = Base64Url.DecodeFromChars(signature);
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(Sign(url), given))
        {
            return null;
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(url);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private byte[] Sign(byte[] url) =>
        HMACSHA256.HashData(_key ?? throw new InvalidOperationException("The media signing key is not loaded: MediaSigner.LoadKeyAsync runs at start."), url);
}
