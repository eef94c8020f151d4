using System.Text;

namespace Feedstand.Feeds.Json;

/// <summary>
/// Recovers a JSON document that was cut off (a truncated download): it keeps everything up
/// to the last complete object and closes what was left open.
/// </summary>
internal static class JsonRepair
{
    private const int MaxAttempts = 64;

    /// <summary>A parseable prefix of <paramref name="text"/> with its brackets closed, or null.</summary>
    public static string? CloseTruncated(string text, Func<string, bool> parses)
    {
        var cut = text.Length;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            cut = text.LastIndexOf('}', cut - 1);
            if (cut <= 0)
            {
                return null;
            }
            var candidate = Close(text.AsSpan(0, cut + 1));
            if (candidate is not null && parses(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>The prefix with its open strings, arrays and objects closed; null when the '}' was inside a string.</summary>
    private static string? Close(ReadOnlySpan<char> prefix)
    {
        var open = new Stack<char>();
        var inString = false;
        for (var i = 0; i < prefix.Length; i++)
        {
            var c = prefix[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    open.Push(c);
                    break;
                case '}' or ']':
                    if (open.Count > 0)
                    {
                        open.Pop();
                    }
                    break;
            }
        }
        if (inString)
        {
            return null;
        }
        var builder = new StringBuilder(prefix.Length + open.Count);
        builder.Append(prefix);
        while (open.Count > 0)
        {
            builder.Append(open.Pop() == '{' ? '}' : ']');
        }
        return builder.ToString();
    }
}
