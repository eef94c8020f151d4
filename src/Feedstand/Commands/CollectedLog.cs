using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Feedstand.Commands;

/// <summary>
/// A logger for commands with a progress display: warnings and errors are kept, not written, so
/// nothing tears through the progress bar; the command prints them afterwards, one line each, with
/// instants as ISO 8601 UTC (<see cref="Lines"/>).
/// </summary>
internal sealed class CollectedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<(long Order, string Line)> _lines = new();
    private long _order;

    /// <summary>What was logged, in order, each message on one line.</summary>
    public IReadOnlyList<string> Lines => _lines.OrderBy(l => l.Order).Select(l => l.Line).ToList();

    public ILogger CreateLogger(string categoryName) => new Collector(this);

    public void Dispose() { }

    private void Add(LogLevel level, string message, Exception? exception)
    {
        var line = new StringBuilder(level >= LogLevel.Error ? "error: " : "warning: ").Append(OneLine(message));
        if (exception is not null)
        {
            line.Append(" (").Append(OneLine(exception.GetType().Name + ": " + exception.Message)).Append(')');
        }
        _lines.Enqueue((Interlocked.Increment(ref _order), line.ToString()));
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>The message template filled in with invariant values, instants in ISO 8601 UTC.</summary>
    internal static string Format(IReadOnlyList<KeyValuePair<string, object?>> state, string fallback)
    {
        var template = state.FirstOrDefault(p => p.Key == "{OriginalFormat}").Value as string;
        if (template is null)
        {
            return fallback;
        }
        var output = new StringBuilder(template.Length + 64);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0 || open + 1 >= template.Length)
            {
                output.Append(template, i, template.Length - i);
                break;
            }
            if (template[open + 1] == '{')
            {
                output.Append(template, i, open - i + 1);
                i = open + 2;
                continue;
            }
            var close = template.IndexOf('}', open);
            if (close < 0)
            {
                output.Append(template, i, template.Length - i);
                break;
            }
            output.Append(template, i, open - i);
            var hole = template[(open + 1)..close];
            var colon = hole.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? hole : hole[..colon];
            var format = colon < 0 ? null : hole[(colon + 1)..];
            var value = state.FirstOrDefault(p => p.Key == name).Value;
            output.Append(value switch
            {
                null => "",
                DateTimeOffset instant => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                DateTime time => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            });
            i = close + 1;
        }
        return output.ToString();
    }

    private sealed class Collector(CollectedLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var message = state is IReadOnlyList<KeyValuePair<string, object?>> values ? Format(values, formatter(state, exception)) : formatter(state, exception);
            log.Add(logLevel, message, exception);
        }
    }
}
