using System.Buffers;

namespace Feedstand.Feeds.Sanitizing;

/// <summary>
/// A string builder on a caller-supplied (usually stack) buffer that grows into pooled arrays,
/// so building short strings costs one allocation: the result.
/// </summary>
internal ref struct ValueStringBuilder
{
    private char[]? _rented;
    private Span<char> _chars;
    private int _length;

    public ValueStringBuilder(Span<char> initialBuffer)
    {
        _rented = null;
        _chars = initialBuffer;
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly char this[int index] => _chars[index];

    public void Append(char c)
    {
        if ((uint)_length < (uint)_chars.Length)
        {
            _chars[_length++] = c;
        }
        else
        {
            Grow(1);
            _chars[_length++] = c;
        }
    }

    public void Append(scoped ReadOnlySpan<char> text)
    {
        if (text.Length > _chars.Length - _length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars[_length..]);
        _length += text.Length;
    }

    /// <summary>Drops trailing characters so that <paramref name="length"/> remain.</summary>
    public void Truncate(int length) => _length = Math.Min(_length, length);

    public readonly ReadOnlySpan<char> AsSpan() => _chars[.._length];

    /// <summary>The built string; the builder is disposed.</summary>
    public override string ToString()
    {
        var result = _chars[.._length].ToString();
        Dispose();
        return result;
    }

    public void Dispose()
    {
        var rented = _rented;
        this = default;
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void Grow(int additional)
    {
        var size = Math.Max(_length + additional, Math.Max(_chars.Length * 2, 256));
        var bigger = ArrayPool<char>.Shared.Rent(size);
        _chars[.._length].CopyTo(bigger);
        var old = _rented;
        _rented = bigger;
        _chars = bigger;
        if (old is not null)
        {
            ArrayPool<char>.Shared.Return(old);
        }
    }
}
