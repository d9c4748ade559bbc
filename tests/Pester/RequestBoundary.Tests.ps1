#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession -InferenceLatencyMs 50
    $script:shots = Join-Path $TestDrive 'shots'
    $null = New-Item -ItemType Directory -Path $shots
    $null = New-TestPng -Path (Join-Path $shots 'beach.png')

    function Get-SentRequest {
        # Everything the emulator served meanwhile, but for the statistics query that asks it.
        param([scriptblock] $ScriptBlock)
        (Measure-GptImageEmulatorRequest -Emulator $emulator $ScriptBlock).requests - 1
    }
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Model ids cannot steer a request' {
    It 'refuses <_> in New-GptImage before anything is sent, even with -WhatIf' -ForEach @(
        '../../api/v3/balance', '%2e%2e/%2e%2e/api/v3/balance', '..\..\api\v3\balance',
        'openai/gpt-image-1/text-to-image?webhook=https://evil.example/hook', 'openai/gpt-image-1/text-to-image#/x'
    ) {
        $model = $_
        Get-SentRequest {
            { New-GptImage -Prompt 'x' -Model $model } |
                Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*Nothing was sent*'
            { New-GptImage -Prompt 'x' -Model $model -WhatIf } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
        } | Should -Be 0
    }

    It 'refuses a steering id in Edit-GptImage before the upload' {
        Get-SentRequest {
            { Get-ChildItem -LiteralPath $shots -Filter *.png | Edit-GptImage -Prompt 'x' -Model '../../api/v3/balance' } |
                Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.EditGptImageCommand'
        } | Should -Be 0
    }

    It 'sends an id of the grammar that the catalogue does not know as given, with a warning' {
        $served = Measure-GptImageEmulatorRequest -Emulator $emulator {
            $null = New-GptImage -Prompt 'x' -Model 'openai/gpt-image-1/text-to-image-v9' -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
            $script:unknownModelWarnings = $warned
        }
        $script:unknownModelWarnings | Should -HaveCount 1
        $served.submitRequests | Should -Be 1
    }
}

Describe '-AdditionalParameter stays within the fields the module does not own' {
    It 'refuses the owned field <_>' -ForEach 'webhook', 'enable_sync_mode', 'enable_new_switch', 'stream' {
        $field = $_
        Get-SentRequest {
            { New-GptImage -Prompt 'x' -AdditionalParameter @{ $field = 'https://evil.example/' } } |
                Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage "*'$field'*"
        } | Should -Be 0
    }

    It 'refuses a hashtable that contains itself, and one 3,000 deep, with a clear error instead of ending PowerShell' {
        $self = @{}
        $self.me = $self
        { New-GptImage -Prompt 'x' -AdditionalParameter @{ loop = $self } } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*contains itself*'
        $deep = @{}
        $cursor = $deep
        foreach ($i in 1..3000) { $next = @{}; $cursor.n = $next; $cursor = $next }
        { New-GptImage -Prompt 'x' -AdditionalParameter @{ deep = $deep } } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*16 deep*'
    }

    It 'refuses field names with CR/LF or quotes on the <_> multipart route' -ForEach 'AimlApi', 'OpenAI' {
        try {
            Connect-GptImage -Provider $_ -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
            foreach ($name in "seed`r`nX-Injected: 1", 'a"b') {
                { Edit-GptImage -Path (Join-Path $shots 'beach.png') -Prompt 'x' -AdditionalParameter @{ $name = 1 } } |
                    Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.EditGptImageCommand'
            }
        }
        finally {
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        }
    }
}

Describe '-WebhookUri never carries credentials' {
    It 'refuses user:pass@ without showing the password, in -WhatIf and -Verbose too' {
        $record = $null
        $log = try {
            New-GptImage -Prompt 'x' -WebhookUri 'https://runbook:s3cret-pass@hooks.example.net/in' -WhatIf -Verbose *>&1 | Out-String
        }
        catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
        $record.Exception.Message | Should -Match 'user:pass@'
        "$log $($record | Out-String)" | Should -Not -Match 's3cret'
    }
}

Describe 'Server text is cleaned before it reaches an object' {
    It 'cleans every text of a converted webhook delivery' {
        $body = @{
            id      = 'e6832d4abffb4d79bfbca19783fca133'
            model   = "openai/gpt-image-1/text-to-image`e[31m`u{202E}"
            input   = @{ prompt = "a heron`e]0;pwned`a"; size = "1024*1024`u{200B}"; quality = "low`e[2J" }
            outputs = @('https://cdn.example.net/outputs/e6832d4a.png')
            status  = "completed`u{200D}"
        } | ConvertTo-Json
        $p = ConvertFrom-GptImageWebhook -RawBody $body
        $p.Status | Should -BeExactly 'completed'
        $p.ModelId | Should -BeExactly 'openai/gpt-image-1/text-to-image'
        $p.Prompt | Should -BeExactly 'a heron'
        $p.Size | Should -BeExactly '1024x1024'
        $p.Quality | Should -BeExactly 'low'
    }

    It 'cleans every text of a history item' {
        try {
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri ($emulator.BaseUri + '_hostile/text=control/')
            $null = New-GptImage -Prompt 'a heron' -Wait
            $items = Get-GptImagePrediction -First 5
            $items | Should -Not -BeNullOrEmpty
            foreach ($item in $items) {
                foreach ($text in $item.Model, $item.Status, $item.Prompt, $item.Size, $item.Quality) {
                    $text | Should -Not -Match '[\p{Cc}\u202A-\u202E\u2066-\u2069\u200B-\u200D]'
                }
            }
        }
        finally {
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        }
    }
}
