#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emulator = Start-GptImageTestSession -InferenceLatencyMs 100
    $script:secret = Get-GptImageWebhookSecret

    . (Join-Path $PSScriptRoot 'WebhookDelivery.ps1')
    $delivery = Receive-TestWebhook -Prompt 'a heron'
    $script:headers = $delivery.Headers
    $script:body = $delivery.Body

    function Get-Signature([string] $Id, [long] $Timestamp, [string] $Body) {
        $key = [Text.Encoding]::UTF8.GetBytes(([System.Net.NetworkCredential]::new('', $secret).Password) -replace '^whsec_')
        $hmac = [System.Security.Cryptography.HMACSHA256]::new($key)
        'v3,' + [Convert]::ToHexString($hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes("$Id.$Timestamp.$Body"))).ToLowerInvariant()
    }
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Test-GptImageWebhookSignature' {
    It 'verifies a delivery from the emulator as an HttpListener hands it over' {
        $headers['webhook-signature'] | Should -BeLike 'v3,*'
        Test-GptImageWebhookSignature -Header $headers -RawBody $body -Secret $secret | Should -BeTrue
    }

    It 'verifies the same delivery as an Azure Function and an Automation webhook hand it over' {
        $table = @{}
        foreach ($name in $headers.AllKeys) { $table[$name.ToLowerInvariant()] = $headers[$name] }
        [pscustomobject]@{ Headers = $table; RawBody = $body; Body = ($body | ConvertFrom-Json -AsHashtable) } |
            Test-GptImageWebhookSignature -Secret $secret | Should -BeTrue
        $automation = [pscustomobject]@{ RequestHeader = [pscustomobject]$table; RequestBody = $body; WebhookName = 'images' }
        $automation | Test-GptImageWebhookSignature -Secret $secret | Should -BeTrue
        Test-GptImageWebhookSignature -Header $table -RawBody ([Text.Encoding]::UTF8.GetBytes($body)) -Secret ($secret | ConvertFrom-SecureString -AsPlainText) | Should -BeTrue
    }

    It 'verifies the same delivery in the shape of a PowerShell web response (Headers of string lists, Content)' {
        $dictionary = [System.Collections.Generic.Dictionary[string, System.Collections.Generic.IEnumerable[string]]]::new()
        foreach ($name in $headers.AllKeys) { $dictionary[$name] = [string[]]@($headers[$name]) }
        [pscustomobject]@{ Headers = $dictionary; Content = $body; StatusCode = 200 } | Test-GptImageWebhookSignature -Secret $secret | Should -BeTrue
    }

    It 'refuses a tampered body and tells why in -Verbose' {
        $tampered = $body -replace 'completed', 'failed'
        $tampered | Should -Not -Be $body
        $verbose = Test-GptImageWebhookSignature -Header $headers -RawBody $tampered -Secret $secret -Verbose 4>&1
        ($verbose | Where-Object { $_ -is [bool] }) | Should -BeFalse
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -BeLike '*altered*'
    }

    It 'refuses a delivery signed more than 300 seconds ago, and takes -MaximumAgeSec' {
        $old = [DateTimeOffset]::UtcNow.AddSeconds(-400).ToUnixTimeSeconds()
        $stale = @{ 'webhook-id' = 'msg_1'; 'webhook-timestamp' = "$old"; 'webhook-signature' = (Get-Signature -Id 'msg_1' -Timestamp $old -Body $body) }
        Test-GptImageWebhookSignature -Header $stale -RawBody $body -Secret $secret | Should -BeFalse
        Test-GptImageWebhookSignature -Header $stale -RawBody $body -Secret $secret -MaximumAgeSec 600 | Should -BeTrue
        $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        $fresh = @{ 'Webhook-Id' = 'msg_2'; 'Webhook-Timestamp' = "$now"; 'Webhook-Signature' = (Get-Signature -Id 'msg_2' -Timestamp $now -Body $body) }
        Test-GptImageWebhookSignature -Header $fresh -RawBody $body -Secret $secret | Should -BeTrue
    }

    It 'refuses a delivery without the signature headers' {
        Test-GptImageWebhookSignature -Header @{ 'content-type' = 'application/json' } -RawBody $body -Secret $secret | Should -BeFalse
    }

    It 'stops with GptImage.InvalidParameter naming -Secret for a secret without 16 bytes of key, whatever the delivery' {
        foreach ($weak in 'whsec_', '', 'whsec_short') {
            $record = $null
            try { Test-GptImageWebhookSignature -Header $headers -RawBody $body -Secret $weak -ErrorAction Stop } catch { $record = $_ }
            $record.FullyQualifiedErrorId | Should -Be 'GptImage.InvalidParameter,GptImage.Commands.TestGptImageWebhookSignatureCommand'
            $record.Exception.ParameterName | Should -Be 'Secret'
            $record.Exception.Message | Should -BeLike '*at least 16*'
        }
    }

    It 'answers $false with a -Verbose reason for a timestamp past the year 9999, never an exception' {
        foreach ($timestamp in '253402300800', '99999999999999', '18446744073709551616') {
            $far = @{ 'webhook-id' = 'msg_9'; 'webhook-timestamp' = $timestamp; 'webhook-signature' = 'v3,00' }
            $verbose = Test-GptImageWebhookSignature -Header $far -RawBody $body -Secret $secret -Verbose -ErrorAction Stop 4>&1
            ($verbose | Where-Object { $_ -is [bool] }) | Should -BeFalse
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -BeLike 'webhook-timestamp*'
        }
    }

    It 'takes a delivery again within the window, and refuses it as a replay once its id is in -SeenId' {
        $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        $fresh = @{ 'webhook-id' = 'msg_seen'; 'webhook-timestamp' = "$now"; 'webhook-signature' = (Get-Signature -Id 'msg_seen' -Timestamp $now -Body $body) }
        Test-GptImageWebhookSignature -Header $fresh -RawBody $body -Secret $secret | Should -BeTrue
        Test-GptImageWebhookSignature -Header $fresh -RawBody $body -Secret $secret | Should -BeTrue
        $seen = [System.Collections.Generic.HashSet[string]]::new()
        Test-GptImageWebhookSignature -Header $fresh -RawBody $body -Secret $secret -SeenId $seen | Should -BeTrue
        $seen | Should -Be @('msg_seen')
        $verbose = Test-GptImageWebhookSignature -Header $fresh -RawBody $body -Secret $secret -SeenId $seen -Verbose 4>&1
        ($verbose | Where-Object { $_ -is [bool] }) | Should -BeFalse
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -BeLike '*seen before*'
    }

    It 'stops with GptImage.InvalidParameter naming -SeenId for anything but a collection of strings it can add to' {
        foreach ($wrong in 5, @('msg_0')) {
            $record = $null
            try { Test-GptImageWebhookSignature -Header $headers -RawBody $body -Secret $secret -SeenId $wrong -ErrorAction Stop } catch { $record = $_ }
            $record.FullyQualifiedErrorId | Should -Be 'GptImage.InvalidParameter,GptImage.Commands.TestGptImageWebhookSignatureCommand'
            $record.Exception.ParameterName | Should -Be 'SeenId'
        }
    }

    It 'has help with examples' {
        @((Get-Help Test-GptImageWebhookSignature -Examples).Examples.Example).Count | Should -BeGreaterOrEqual 3
    }
}
