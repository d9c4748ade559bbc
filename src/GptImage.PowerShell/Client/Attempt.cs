using System;
using System.Net.Http;

namespace GptImage.Client;

/// <summary>
/// What one attempt of a retried operation came to (see <see cref="RetryPolicy.RunAsync"/>): a result, a transient
/// failure, or an answer that asks to be tried again (429, 5xx), kept as the result in case no retry is left.
/// </summary>
internal readonly struct Attempt<T>
{
    private Attempt(bool succeeded, T? value, Exception? failure, HttpResponseMessage? answer)
    {
        Succeeded = succeeded;
        Value = value;
        Failure = failure;
        Answer = answer;
    }

    /// <summary>Whether the attempt produced its result.</summary>
    public bool Succeeded { get; }

    /// <summary>The result, or the answer that asks to be tried again.</summary>
    public T? Value { get; }

    /// <summary>The transient failure, or null for an answer.</summary>
    public Exception? Failure { get; }

    /// <summary>The service's answer whose Retry-After sets the delay, or null.</summary>
    public HttpResponseMessage? Answer { get; }

    public static Attempt<T> Success(T value) => new(true, value, null, null);

    public static Attempt<T> Transient(Exception failure) => new(false, default, failure, null);

    public static Attempt<T> Retryable(T value, HttpResponseMessage answer) => new(false, value, null, answer);
}
