namespace GptImage;

/// <summary>What went wrong, as a cmdlet maps it to an ErrorId (<c>GptImage.&lt;Kind&gt;</c>) and category.</summary>
public enum GptImageErrorKind
{
    /// <summary>401: the key is missing, wrong or not activated.</summary>
    AuthenticationFailed,
    /// <summary>403: the account is suspended or may not use this.</summary>
    Forbidden,
    /// <summary>The account's balance does not cover the task.</summary>
    InsufficientBalance,
    /// <summary>429 after every allowed retry.</summary>
    RateLimited,
    /// <summary>A parameter is invalid (found locally or by the service).</summary>
    InvalidParameter,
    /// <summary>The task ended failed, cancelled, timed out or deleted on the service.</summary>
    TaskFailed,
    /// <summary>The task failed content moderation (code 1200).</summary>
    ContentModerated,
    /// <summary>Waiting or a request took longer than allowed.</summary>
    Timeout,
    /// <summary>The network failed (connection refused or reset, name not resolved, TLS).</summary>
    TransportFailed,
    /// <summary>A submit was sent but its answer was lost: the task may exist and may be charged.</summary>
    SubmitOutcomeUnknown,
    /// <summary>The prediction or output no longer exists (404; outputs are deleted after 7 days).</summary>
    NotFound,
    /// <summary>The service answered something that could not be read.</summary>
    InvalidResponse,
    /// <summary>A 5xx after every allowed retry.</summary>
    ServiceUnavailable,
    /// <summary>A local input file does not exist.</summary>
    FileNotFound,
    /// <summary>A local input file is not an accepted image (kind, size).</summary>
    InvalidFile,
    /// <summary>The target file exists and overwriting was not asked for.</summary>
    FileExists,
    /// <summary>A downloaded image failed verification (length, signature, completeness, size cap) or kept redirecting.</summary>
    DownloadFailed,
    /// <summary>The service's answer asked for something refused: an output that is not http(s) or base64, a redirect to another scheme, an id that is not one path segment.</summary>
    UnsafeResponse,
    /// <summary>A local input file exists but cannot be read (permission denied, locked).</summary>
    FileNotReadable,
    /// <summary>The output folder cannot be written (read-only, no permission).</summary>
    DestinationNotWritable,
    /// <summary>The provider has no such feature (balance, history, webhooks are WaveSpeed's); the message names who has it.</summary>
    NotSupported,
}
