#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '', Justification = 'Emulator keys and tokens of the test session.')]
param()

# Azure OpenAI through the real cmdlets against the emulator's Azure routes and its managed-identity endpoint. At the
# 6th signed request every token issued so far expires (before its expires_on), as a token does that runs out mid-batch.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:saved = @{}
    $script:emulator = Start-GptImageTestSession -InferenceLatencyMs 50 -NoConnect -ArgumentList '--Emulator:ExpireTokensAfter', '6'
    $script:identityHeader = 'emulator-identity-header'
    foreach ($name in 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'OPENAI_API_VERSION') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    function Get-Statistic { Get-GptImageEmulatorStatistic -Emulator $emulator }
    function Get-LastSubmit { Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit') }
    function Get-IdentityToken {
        $uri = $emulator.BaseUri + '_identity/token?resource=https://cognitiveservices.azure.com&api-version=2019-08-01'
        (Invoke-RestMethod -Uri $uri -Headers @{ 'X-IDENTITY-HEADER' = $identityHeader }).access_token
    }
    $script:room = Join-Path $TestDrive 'room.png'
    $script:mask = Join-Path $TestDrive 'mask.png'
    $null = New-TestPng -Path $room
    $null = New-TestPng -Path $mask
}

AfterAll {
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Azure OpenAI with a key' {
    BeforeAll {
        Connect-GptImage -Provider AzureOpenAI -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey
    }

    It 'generates to the deployment named after the model, with the api-version, and saves the image with a price' {
        $verbose = New-GptImage -Prompt 'a lighthouse' -Quality low -OutputDirectory (Join-Path $TestDrive 'key') -Verbose 4>&1
        $p = $verbose | Where-Object { $_ -is [GptImage.Prediction] }
        $p.Status | Should -Be 'completed'
        $p.Provider | Should -Be 'AzureOpenAI'
        $p.Files[0].FullName | Should -Exist
        $p.Usd | Should -Be 0.011
        $p.UsdSource | Should -BeLike 'estimate:*'
        (Get-LastSubmit).path | Should -Be '/openai/deployments/gpt-image-1/images/generations'
        ($verbose | Out-String) | Should -Not -Match ([regex]::Escape($emulator.ApiKey))
    }

    It 'edits with a mask as multipart on the edit route' {
        $p = Edit-GptImage -Path $room -Mask $mask -Prompt 'add a window' -OutputDirectory (Join-Path $TestDrive 'edit')
        $p.Status | Should -Be 'completed'
        $p.Files | Should -HaveCount 1
        $last = Get-LastSubmit
        $last.path | Should -Be '/openai/deployments/gpt-image-1/images/edits'
        $last.files.name | Should -Contain 'mask'
    }

    It 'refuses what Azure OpenAI does not take before anything is sent' {
        $before = Get-Statistic
        { New-GptImage -Prompt 'x' -Size auto -ErrorAction Stop } | Should -Throw -ErrorId 'GptImage.InvalidParameter,*'
        { New-GptImage -Prompt 'x' -ResponseFormat url -ErrorAction Stop } | Should -Throw -ErrorId 'GptImage.InvalidParameter,*'
        { New-GptImage -Prompt 'x' -PartialImages 2 -OutputDirectory $TestDrive -ErrorAction Stop } | Should -Throw -ErrorId 'GptImage.InvalidParameter,*'
        # Nothing but this look at the statistics reached the emulator.
        (Get-Statistic).requests | Should -Be ($before.requests + 1)
    }

    It 'names a deployment the resource does not have' {
        Connect-GptImage -Provider AzureOpenAI -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -Deployment @{ 'gpt-image-1' = 'no-such-deployment' }
        $before = Get-Statistic
        $p = New-GptImage -Prompt 'x' -ErrorVariable failed -ErrorAction SilentlyContinue
        $p | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.NotFound,*'
        $failed[0].Exception.Message | Should -Match "no deployment 'no-such-deployment'"
        (Get-Statistic).imageGenerations | Should -Be $before.imageGenerations
    }

    It 'refuses the Azure-only parameters on another provider' {
        { Connect-GptImage -Provider OpenAI -ApiKey x -Deployment images -ErrorAction Stop } | Should -Throw -ErrorId 'GptImage.InvalidParameter,*'
        { Connect-GptImage -Provider AzureOpenAI -BaseUri $emulator.BaseUri -ApiKey x -ApiVersion 'latest' -ErrorAction Stop } | Should -Throw -ErrorId 'GptImage.InvalidParameter,*'
    }
}

Describe 'Azure OpenAI with a managed identity' {
    BeforeAll {
        $env:IDENTITY_ENDPOINT = $emulator.BaseUri + '_identity/token'
        $env:IDENTITY_HEADER = $identityHeader
    }

    AfterAll {
        $env:IDENTITY_ENDPOINT = $null
        $env:IDENTITY_HEADER = $null
    }

    It 'runs a batch whose token expires half-way: renewed, every image made once, no token or header shown anywhere' {
        $info = Connect-GptImage -Provider AzureOpenAI -BaseUri $emulator.BaseUri -Identity -Deployment images -PassThru
        $info.KeySource | Should -Be 'ManagedIdentity'
        $info.Deployment | Should -Be "every model $([char]0x2192) images"
        $before = Get-Statistic
        $out = Join-Path $TestDrive 'identity'
        $all = 1..10 | ForEach-Object { "frame $_" } | New-GptImage -Quality low -OutputDirectory $out -Verbose -Debug *>&1
        $predictions = @($all | Where-Object { $_ -is [GptImage.Prediction] })
        $predictions | Should -HaveCount 10
        $predictions.Status | Select-Object -Unique | Should -Be 'completed'
        @(Get-ChildItem -LiteralPath $out -File) | Should -HaveCount 10
        $after = Get-Statistic
        $after.imageGenerations - $before.imageGenerations | Should -Be 10
        $after.unauthorized - $before.unauthorized | Should -BeGreaterThan 0
        $after.identityTokens - $before.identityTokens | Should -Be 2
        $text = ($all | Out-String) + ($predictions | ConvertTo-Json -Depth 8 -WarningAction SilentlyContinue)
        $text | Should -Not -Match 'emu-mi-'
        $text | Should -Not -Match $identityHeader
        $text | Should -Match 'the token was renewed'
        $text | Should -Match 'New access token from the managed identity \(system-assigned\): expires '
        $journal = [Environment]::GetFolderPath('LocalApplicationData') | Join-Path -ChildPath 'GptImage/journal/tasks.jsonl'
        if (Test-Path -LiteralPath $journal) { Get-Content -Raw -LiteralPath $journal | Should -Not -Match 'emu-mi-|emulator-identity-header' }
    }

    It 'asks for a user-assigned identity by its client id' {
        Connect-GptImage -Provider AzureOpenAI -BaseUri $emulator.BaseUri -Identity -IdentityClientId '11111111-2222-3333-4444-555555555555'
        (New-GptImage -Prompt 'user-assigned').Status | Should -Be 'completed'
    }

    It 'says where -Identity works when the platform gives no identity endpoint' {
        $env:IDENTITY_ENDPOINT = $null
        try {
            { Connect-GptImage -Provider AzureOpenAI -BaseUri $emulator.BaseUri -Identity -ErrorAction Stop } |
                Should -Throw -ErrorId 'GptImage.MissingApiKey,*' -ExpectedMessage '*IDENTITY_ENDPOINT*'
        }
        finally { $env:IDENTITY_ENDPOINT = $emulator.BaseUri + '_identity/token' }
    }
}

Describe 'Azure OpenAI with an access token' {
    It 'signs with a token got elsewhere' {
        $token = ConvertTo-SecureString (Get-IdentityToken) -AsPlainText -Force
        $info = Connect-GptImage -Provider AzureOpenAI -BaseUri $emulator.BaseUri -AccessToken $token -PassThru
        $info.KeySource | Should -Be 'AccessToken'
        (New-GptImage -Prompt 'with a token').Status | Should -Be 'completed'
    }

    It 'stops on an expired token, once, saying how to get a new one and never showing it' {
        Connect-GptImage -Provider AzureOpenAI -BaseUri $emulator.BaseUri -AccessToken 'emu-mi-expired-or-forged-token'
        $before = Get-Statistic
        $p = New-GptImage -Prompt 'x' -ErrorVariable failed -ErrorAction SilentlyContinue
        $p | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.AuthenticationFailed,*'
        $failed[0].Exception.Message | Should -BeLike '*Get-AzAccessToken -ResourceUrl https://cognitiveservices.azure.com*'
        ($failed | Out-String) | Should -Not -Match 'expired-or-forged'
        (Get-Statistic).unauthorized - $before.unauthorized | Should -Be 1
    }
}

Describe "OpenAI's TypeScript SDK on the emulator's Azure routes" {
    It 'generates and edits with AzureOpenAI unchanged, with a key and with a token' {
        $lines = Invoke-OpenAISdk -Script 'azure.mjs' -ArgumentList $room, $mask -Environment @{
            AZURE_OPENAI_ENDPOINT = $emulator.BaseUri.TrimEnd('/'); AZURE_OPENAI_API_KEY = $emulator.ApiKey; OPENAI_API_VERSION = '2025-04-01-preview'
            OPENAI_BASE_URL = ''; IDENTITY_ENDPOINT = $emulator.BaseUri + '_identity/token'; IDENTITY_HEADER = $identityHeader
        }
        $lines.call | Should -Be @('generate', 'edit', 'generate-with-token')
        $lines.images | Should -Be @(2, 1, 1)
        $lines | ForEach-Object { $_.url | Should -BeFalse; $_.b64 | ForEach-Object { $_ | Should -BeGreaterThan 100 } }
    }
}
