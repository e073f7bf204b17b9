using System.Collections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Pipeline.Hosting;

/// <summary>
/// The host's logger factory with <see cref="LogRedaction"/> applied to everything logged through it, before any
/// provider sees it: the message, each logged value and each scope (ASP.NET Core's request scope holds the path).
/// It sits above the providers, so every provider and filter rule works as configured.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
            RedactedState.Of(state, state.ToString() ?? "") is { } redacted ? inner.BeginScope(redacted) : inner.BeginScope(state);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            if (RedactedState.Of(state, formatter(state, exception)) is { } redacted)
                inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.ToString());
            else
                inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    /// <summary>A log entry's or scope's text and values, redacted.</summary>
    private sealed class RedactedState(string text, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        /// <summary>The redacted form of <paramref name="state"/> (whose text is <paramref name="text"/>), or null when it holds nothing to redact.</summary>
        public static RedactedState? Of(object? state, string text)
        {
            var redactedText = LogRedaction.Redact(text);
            var changed = !ReferenceEquals(redactedText, text);
            IReadOnlyList<KeyValuePair<string, object?>> values = [];
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                var list = new List<KeyValuePair<string, object?>>();
                foreach (var (key, value) in pairs)
                {
                    var redactedValue = Redact(value);
                    changed |= !ReferenceEquals(redactedValue, value);
                    list.Add(new(key, redactedValue));
                }
                values = list;
            }
            return changed ? new RedactedState(redactedText, values) : null;
        }

        private static object? Redact(object? value) => value switch
        {
            null => null,
            string text => LogRedaction.Redact(text),
            IFormattable or Enum or bool or char => value,
            // PathString, QueryString, Uri and the like: redacted as their text, kept as they are when clean.
            _ => value.ToString() is { } text && LogRedaction.Redact(text) is var redacted && !ReferenceEquals(redacted, text) ? redacted : value,
        };

        public KeyValuePair<string, object?> this[int index] => values[index];

        public int Count => values.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => text;
    }
}

public static class LogRedactionServices
{
    /// <summary>
    /// Puts <see cref="RedactingLoggerFactory"/> over the host's logger factory, so that no log of this process holds
    /// an Event Grid secret, a Functions key or an approval link's signature.
    /// </summary>
    public static IServiceCollection AddLogRedaction(this IServiceCollection services)
    {
        services.AddLogging();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider => new RedactingLoggerFactory(new LoggerFactory(
            provider.GetServices<ILoggerProvider>(),
            provider.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            provider.GetService<IOptions<LoggerFactoryOptions>>(),
            provider.GetService<IExternalScopeProvider>()))));
        return services;
    }
}
