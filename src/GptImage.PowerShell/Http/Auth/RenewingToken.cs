using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace GptImage.Http.Auth;

/// <summary>
/// A source of access tokens that renews them: the token in hand while it has a while to live, a new one fetched
/// (<see cref="FetchAsync"/>) before it expires, and again when the service refuses it (401). One fetch at a time,
/// however many requests of a batch ask at once. Every token it ever held, and the secrets it fetches with
/// (<see cref="Secrets"/>), are redacted from text about to be shown.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "The semaphore's wait handle is never asked for, so it holds nothing to dispose; a credential lives as long as its connection.")]
internal abstract class RenewingToken : ApiCredential
{
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private readonly object _gate = new();
    private readonly List<ApiCredential> _held = new();
    private (ApiCredential Token, DateTimeOffset Renew)? _current;
    private (Exception Failure, DateTimeOffset Until)? _failed;
    private System.Text.RegularExpressions.Regex[]? _secretForms;
    private int _fetched;

    /// <summary>How long a failed fetch is answered from memory: the requests of a batch waiting behind it do not each ask again.</summary>
    private static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(5);

    /// <summary>The tokens kept for redaction: the newest ones (an older one is long expired, and no longer sent).</summary>
    private const int HeldTokens = 16;

    /// <summary>The clock (tests move it).</summary>
    protected internal Func<DateTimeOffset> Now { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>A new token and when it expires, from wherever this source gets them.</summary>
    protected abstract Task<(string Token, DateTimeOffset ExpiresOn)> FetchAsync(CancellationToken cancellationToken);

    /// <summary>Secrets used to fetch tokens (a managed identity's header), redacted like the tokens.</summary>
    protected virtual IEnumerable<string> Secrets => Array.Empty<string>();

    /// <summary>How many tokens it has fetched (for -Verbose and tests).</summary>
    public int Fetched { get { lock (_gate) { return _fetched; } } }

    /// <inheritdoc />
    public override async Task<ApiCredential> CurrentAsync(CancellationToken cancellationToken, Action<string>? log = null)
    {
        if (Valid() is { } token) { return token; }
        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Valid() ?? await FetchNewAsync(log, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <inheritdoc />
    public override bool CanRenew => true;

    /// <inheritdoc />
    /// <remarks>Requests refused with the same token share one new token: only the first of them fetches it.</remarks>
    public override async Task RenewAsync(ApiCredential refused, CancellationToken cancellationToken, Action<string>? log = null)
    {
        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (_current is { } current && !ReferenceEquals(current.Token, refused)) { return; }
            }
            await FetchNewAsync(log, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _fetching.Release();
        }
    }

    private ApiCredential? Valid()
    {
        lock (_gate) { return _current is { } current && Now() < current.Renew ? current.Token : null; }
    }

    /// <summary>
    /// Fetches a token and keeps it until it nears its expiry: renewed when 5 minutes or half of its life are left,
    /// whichever is less (a short-lived token is still used for half its life).
    /// </summary>
    private async Task<ApiCredential> FetchNewAsync(Action<string>? log, CancellationToken cancellationToken)
    {
        var now = Now();
        lock (_gate)
        {
            if (_failed is { } failed && now < failed.Until) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed.Failure).Throw(); }
        }
        string text;
        DateTimeOffset expiresOn;
        try
        {
            (text, expiresOn) = await FetchAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (GptImageException e)
        {
            lock (_gate) { _failed = (e, Now() + FailureMemory); }
            throw;
        }
        var token = new ApiCredential(text, isToken: true);
        var life = expiresOn - now;
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, Math.Max(0, life.Ticks / 2)));
        lock (_gate)
        {
            _fetched++;
            _failed = null;
            _held.Add(token);
            if (_held.Count > HeldTokens) { _held.RemoveAt(0); }
            _current = (token, expiresOn - margin);
        }
        log?.Invoke(string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "New access token from the {0}: expires {1:u}, renewed from {2:u}", this, expiresOn, expiresOn - margin));
        return token;
    }

    /// <inheritdoc />
    public override string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) { return text; }
        List<ApiCredential> held;
        lock (_gate) { held = _held.ToList(); }
        _secretForms ??= Secrets.Where(s => !string.IsNullOrEmpty(s)).Select(EscapedForms).ToArray();
        foreach (var form in _secretForms) { text = form.Replace(text, "***"); }
        return held.Aggregate(text, (t, token) => token.Redact(t));
    }

    /// <inheritdoc />
    internal override int LongestForm
    {
        get
        {
            lock (_gate) { return Math.Max(_held.Select(t => t.LongestForm).DefaultIfEmpty(0).Max(), Secrets.Select(s => s.Length * 6).DefaultIfEmpty(0).Max()); }
        }
    }

    /// <inheritdoc />
    public override string Masked => "(token)";
}
