using System.Text;

namespace Feedstand.Feeds.Decoding;

/// <summary>The bytes of a document with the encoding chosen to read them.</summary>
internal readonly record struct DecodedDocument(ReadOnlyMemory<byte> Body, Encoding Encoding, string Label)
{
    public TextReader OpenReader() =>
        new StreamReader(new ReadOnlyMemoryStream(Body), Encoding, detectEncodingFromByteOrderMarks: false,
            bufferSize: Math.Clamp(Body.Length, 1024, 16 * 1024));

    public string ReadAll() => Encoding.GetString(Body.Span);
}
