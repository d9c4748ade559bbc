using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using GptImage.Http;
using GptImage.Http.Retry;
using GptImage.Providers;

namespace GptImage.Tests.Client;

/// <summary>The one retry loop and its rules, on their own: what is retried in each mode, how long it waits, when it gives up.</summary>
public sealed class RetryPolicyTests
{
    private static readonly ConnectionOptions NoWait = new()
    {
        MaximumRetryCount = 3,
        RetryInterval = TimeSpan.Zero,
        MaximumRetryInterval = TimeSpan.Zero,
    };

    [Theory]
    [InlineData(429, false, true)]
    [InlineData(429, true, true)]
    [InlineData(408, true, true)]
    [InlineData(500, true, true)]
    [InlineData(503, true, true)]
    [InlineData(599, true, true)]
    [InlineData(408, false, false)]
    [InlineData(500, false, false)]
    [InlineData(503, false, false)]
    [InlineData(499, true, false)]
    [InlineData(400, true, false)]
    [InlineData(404, true, false)]
    [InlineData(200, true, false)]
    public void Only_rate_limits_are_retried_for_a_paid_submit_and_timeouts_and_server_errors_too_for_the_rest(int status, bool idempotent, bool retried) =>
        Assert.Equal(retried, RetryPolicy.IsRetryableStatus((HttpStatusCode)status, idempotent ? RetryMode.Idempotent : RetryMode.Submit));

    [Theory]
    [InlineData(SocketError.ConnectionRefused, true)]
    [InlineData(SocketError.HostNotFound, true)]
    [InlineData(SocketError.NoData, true)]
    [InlineData(SocketError.TryAgain, true)]
    [InlineData(SocketError.HostUnreachable, true)]
    [InlineData(SocketError.NetworkUnreachable, true)]
    [InlineData(SocketError.AddressNotAvailable, true)]
    [InlineData(SocketError.ConnectionReset, false)]
    [InlineData(SocketError.TimedOut, false)]
    [InlineData(SocketError.ConnectionAborted, false)]
    public void A_request_counts_as_never_sent_only_when_the_connection_was_never_made(SocketError error, bool notSent)
    {
        Assert.Equal(notSent, RetryPolicy.CertainlyNotSent(new SocketException((int)error)));
        // However deep the socket error is wrapped.
        Assert.Equal(notSent, RetryPolicy.CertainlyNotSent(new HttpRequestException("outer", new IOException("middle", new SocketException((int)error)))));
    }

    [Fact]
    public void Name_resolution_and_connect_failures_of_every_stack_count_as_never_sent_and_others_do_not()
    {
#if NET // HttpRequestError is .NET 8's; the Desktop tests run this file too
        Assert.True(RetryPolicy.CertainlyNotSent(new HttpRequestException(HttpRequestError.NameResolutionError, "no such host")));
        Assert.False(RetryPolicy.CertainlyNotSent(new HttpRequestException(HttpRequestError.ResponseEnded, "cut off")));
#endif
        Assert.True(RetryPolicy.CertainlyNotSent(new WebException("x", WebExceptionStatus.NameResolutionFailure)));
        Assert.True(RetryPolicy.CertainlyNotSent(new WebException("x", WebExceptionStatus.ConnectFailure)));
        Assert.True(RetryPolicy.CertainlyNotSent(new WebException("x", WebExceptionStatus.ProxyNameResolutionFailure)));
        Assert.False(RetryPolicy.CertainlyNotSent(new WebException("x", WebExceptionStatus.ReceiveFailure)));
        Assert.False(RetryPolicy.CertainlyNotSent(new TaskCanceledException("timed out")));
    }

    [Fact]
    public void The_service_asked_delay_wins_in_milliseconds_then_seconds_then_a_date_and_is_capped_at_five_minutes()
    {
        var options = new ConnectionOptions { RetryInterval = TimeSpan.FromSeconds(7), MaximumRetryInterval = TimeSpan.FromSeconds(7) };
        var both = new HttpResponseMessage((HttpStatusCode)429);
        both.Headers.Add("retry-after-ms", "1500.5");
        both.Headers.Add("Retry-After", "9");
        Assert.Equal(TimeSpan.FromMilliseconds(1500.5), RetryPolicy.ServerDelay(both));

        var negativeMs = new HttpResponseMessage((HttpStatusCode)429);
        negativeMs.Headers.Add("retry-after-ms", "-5");
        negativeMs.Headers.Add("Retry-After", "2");
        Assert.Equal(TimeSpan.FromSeconds(2), RetryPolicy.ServerDelay(negativeMs));

        var zeroMs = new HttpResponseMessage((HttpStatusCode)429);
        zeroMs.Headers.Add("retry-after-ms", "0");
        zeroMs.Headers.Add("Retry-After", "2");
        Assert.Equal(TimeSpan.Zero, RetryPolicy.ServerDelay(zeroMs));

        var garbageMs = new HttpResponseMessage((HttpStatusCode)429);
        garbageMs.Headers.Add("retry-after-ms", "soon");
        Assert.Null(RetryPolicy.ServerDelay(garbageMs));
        var jitter = RetryPolicy.Delay(1, garbageMs, options);
        Assert.InRange(jitter, TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(7));

        var past = new HttpResponseMessage((HttpStatusCode)503);
        past.Headers.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(TimeSpan.Zero, RetryPolicy.Delay(1, past, options));

        var far = new HttpResponseMessage((HttpStatusCode)503);
        far.Headers.Add("Retry-After", "86400");
        Assert.Equal(TimeSpan.FromMinutes(5), RetryPolicy.Delay(1, far, options));
        var justUnder = new HttpResponseMessage((HttpStatusCode)503);
        justUnder.Headers.Add("Retry-After", "299");
        Assert.Equal(TimeSpan.FromSeconds(299), RetryPolicy.Delay(1, justUnder, options));

        Assert.Null(RetryPolicy.ServerDelay(new HttpResponseMessage((HttpStatusCode)503)));
    }

    [Fact]
    public void Without_an_asked_delay_each_retry_waits_between_half_and_all_of_the_doubled_interval()
    {
        var options = new ConnectionOptions { RetryInterval = TimeSpan.FromMilliseconds(100), MaximumRetryInterval = TimeSpan.FromSeconds(60) };
        for (var retry = 1; retry <= 5; retry++)
        {
            var full = 100 * Math.Pow(2, retry - 1);
            var delays = Enumerable.Range(0, 40).Select(_ => RetryPolicy.Delay(retry, null, options).TotalMilliseconds).ToArray();
            Assert.All(delays, d => Assert.InRange(d, full / 2, full));
            Assert.True(delays.Max() > full * 0.6, $"retry {retry}: the random half is used ({delays.Max()} of {full})");
        }
    }

    [Fact]
    public async Task Attempts_stop_at_the_first_success()
    {
        var calls = 0;
        var retries = new List<int>();
        var result = await RetryPolicy.RunAsync(NoWait,
            () => Task.FromResult(++calls < 3 ? Attempt<string>.Transient(new IOException("reset")) : Attempt<string>.Success("done")),
            (_, _, number) => retries.Add(number),
            (_, _) => throw new InvalidOperationException("gave up"),
            CancellationToken.None);
        Assert.Equal("done", result);
        Assert.Equal(3, calls);
        Assert.Equal(new[] { 1, 2 }, retries);
    }

    [Fact]
    public async Task After_the_last_retry_the_last_attempt_is_given_up_with_the_number_of_attempts()
    {
        var calls = 0;
        var retries = new List<(string? Failure, int Number)>();
        var result = await RetryPolicy.RunAsync(NoWait,
            () => Task.FromResult(Attempt<string>.Transient(new IOException("reset " + ++calls))),
            (attempt, _, number) => retries.Add((attempt.Failure?.Message, number)),
            (attempt, attempts) => Task.FromResult($"{attempt.Failure!.Message} after {attempts}"),
            CancellationToken.None);
        Assert.Equal("reset 4 after 4", result);
        Assert.Equal(new (string?, int)[] { ("reset 1", 1), ("reset 2", 2), ("reset 3", 3) }, retries);

        var once = 0;
        var noRetry = new ConnectionOptions { MaximumRetryCount = 0 };
        var answer = new HttpResponseMessage((HttpStatusCode)429);
        Assert.Equal("429 kept", await RetryPolicy.RunAsync(noRetry,
            () => Task.FromResult(Attempt<string>.Retryable($"{++once * 429} kept", answer)),
            (_, _, _) => throw new InvalidOperationException("no retry was allowed"),
            (attempt, attempts) => Task.FromResult(attempts == 1 && ReferenceEquals(attempt.Answer, answer) ? attempt.Value! : "wrong"),
            CancellationToken.None));
    }

    [Fact]
    public async Task A_retry_waits_the_asked_delay_and_cancelling_stops_the_wait()
    {
        var answer = new HttpResponseMessage((HttpStatusCode)429);
        answer.Headers.Add("retry-after-ms", "60000");
        TimeSpan? told = null;
        using var cancel = new CancellationTokenSource();
        var run = RetryPolicy.RunAsync(NoWait,
            () => Task.FromResult(Attempt<string>.Retryable("limited", answer)),
            (_, delay, _) => { told = delay; cancel.Cancel(); },
            (_, _) => Task.FromResult("gave up"),
            cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(TimeSpan.FromMinutes(1), told);
    }

    [Fact]
    public async Task An_invalid_answer_is_given_up_at_once_whatever_the_caller_counts_as_transient_and_a_cut_one_is_retried()
    {
        var attempts = 0;
        var given = 0;
        var invalid = new GptImageException(GptImageErrorKind.InvalidResponse, "not base64");
        var e = await Assert.ThrowsAsync<GptImageException>(() => RetryPolicy.RunAsync<int>(NoWait,
            () => { attempts++; return Task.FromResult(Attempt<int>.Transient(invalid)); },
            (_, _, _) => { },
            (last, number) => { given = number; throw (GptImageException)last.Failure!; },
            CancellationToken.None));
        Assert.Same(invalid, e);
        Assert.Equal((1, 1), (attempts, given));
        Assert.True(RetryPolicy.IsFinal(invalid));

        attempts = 0;
        await Assert.ThrowsAsync<IOException>(() => RetryPolicy.RunAsync<int>(NoWait,
            () => { attempts++; return Task.FromResult(Attempt<int>.Transient(new IOException("cut"))); },
            (_, _, _) => { },
            (last, _) => throw last.Failure!,
            CancellationToken.None));
        Assert.Equal(NoWait.MaximumRetryCount + 1, attempts);
        Assert.False(RetryPolicy.IsFinal(new GptImageException(GptImageErrorKind.TransportFailed, "reset")));
        Assert.False(RetryPolicy.IsFinal(new IOException("cut")));
    }
}
