using System;
using System.Net.Http;

namespace GptImage.Http.Retry;

/// <summary>
/// What one attempt of a retried operation came to (see <see cref="RetryPolicy.RunAsync"/>): a result, a transient
/// failure, or an answer that asks to be tried again (429, 5xx), kept as the result in case no retry is left.
/// </summary>
internal readonly struct Attempt<T>
{
    private Attempt(T? value, Exception? failure, HttpResponseMessage? answer)
    {
        Value = value;
        Failure = failure;
        Answer = answer;
    }

    /// <summary>Whether the attempt produced its result: neither a failure nor an answer asking to be tried again.</summary>
    public bool Succeeded => Failure is null && Answer is null;

    /// <summary>The result, or the answer that asks to be tried again.</summary>
    public T? Value { get; }

    /// <summary>The transient failure, or null for an answer.</summary>
    public Exception? Failure { get; }

    /// <summary>The service's answer whose Retry-After sets the delay, or null.</summary>
    public HttpResponseMessage? Answer { get; }

    public static Attempt<T> Success(T value) => new(value, null, null);

    public static Attempt<T> Transient(Exception failure) => new(default, failure, null);

    public static Attempt<T> Retryable(T value, HttpResponseMessage answer) => new(value, null, answer);
}
