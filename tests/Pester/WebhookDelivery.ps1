# Shared by the webhook cmdlets' Pester files: one real delivery from the emulator.

function Open-TestWebhookListener {
    <#
    .SYNOPSIS
    An HttpListener on a free loopback port, started; its URL is in .Prefixes.
    #>
    [CmdletBinding()]
    [OutputType([System.Net.HttpListener])]
    param()
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/hook/")
    $listener.Start()
    $listener
}

function Receive-TestWebhook {
    <#
    .SYNOPSIS
    Submits a task with -WebhookUri pointing at an HttpListener on loopback and returns what the listener received:
    the submitted prediction, the headers (a NameValueCollection) and the raw body.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Prompt)
    $listener = Open-TestWebhookListener
    try {
        $pending = $listener.GetContextAsync()
        $submitted = New-GptImage -Prompt $Prompt -WebhookUri @($listener.Prefixes)[0]
        if (-not $pending.Wait(15000)) { throw 'No webhook arrived within 15 s.' }
        $context = $pending.Result
        $reader = [System.IO.StreamReader]::new($context.Request.InputStream)
        $body = $reader.ReadToEnd()
        $reader.Dispose()
        $context.Response.StatusCode = 200
        $context.Response.Close()
        [pscustomobject]@{ Submitted = $submitted; Headers = $context.Request.Headers; Body = $body }
    }
    finally {
        $listener.Close()
    }
}
