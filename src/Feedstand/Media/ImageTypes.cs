namespace Feedstand.Media;

/// <summary>
/// What an image really is, from its first bytes: PNG, JPEG, GIF, WebP, AVIF, ICO, BMP and SVG are
/// served, anything else is refused. The upstream's Content-Type must agree that it is an image.
/// </summary>
public static class ImageTypes
{
    public const string Svg = "image/svg+xml";

    private static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> Ico => [0x00, 0x00, 0x01, 0x00];
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The type the bytes show, or null when they are none of the accepted images.</summary>
    public static string? Sniff(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith(Png))
        {
            return "image/png";
        }
        if (body.StartsWith(Jpeg))
        {
            return "image/jpeg";
        }
        if (body.StartsWith("GIF87a"u8) || body.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }
        if (body.Length >= 12 && body.StartsWith("RIFF"u8) && body.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        if (body.Length >= 12 && body.Slice(4, 4).SequenceEqual("ftyp"u8) && (body.Slice(8, 4).SequenceEqual("avif"u8) || body.Slice(8, 4).SequenceEqual("avis"u8)))
        {
            return "image/avif";
        }
        if (body.StartsWith(Ico) && body.Length >= 6 && body[4] + body[5] > 0)
        {
            return "image/x-icon";
        }
        if (body.StartsWith("BM"u8) && body.Length >= 26)
        {
            return "image/bmp";
        }
        return LooksLikeSvg(body) ? Svg : null;
    }

    /// <summary>Whether the upstream's Content-Type calls it an image at all (octet-stream too: many servers send that for icons).</summary>
    public static bool IsImageContentType(string? contentType)
    {
        var type = contentType?.Split(';', 2)[0].Trim();
        return type is not null
            && (type.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
                || type.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase));
    }

    private static bool LooksLikeSvg(ReadOnlySpan<byte> body)
    {
        var head = body[..Math.Min(body.Length, 4096)];
        if (head.StartsWith(Bom))
        {
            head = head[3..];
        }
        head = head.TrimStart(" \t\r\n"u8);
        if (!(head.StartsWith("<?xml"u8) || head.StartsWith("<svg"u8) || head.StartsWith("<!--"u8) || head.StartsWith("<!DOCTYPE svg"u8)))
        {
            return false;
        }
        return head.IndexOf("<svg"u8) >= 0;
    }
}
