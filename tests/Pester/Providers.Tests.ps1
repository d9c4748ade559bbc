#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '', Justification = 'The key is the local emulator key of the test session.')]
param()

# The DESIGN.md examples again, on the OpenAI-style Images API (AIML API and OpenAI) served by the emulator.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession -InferenceLatencyMs 50 -NoConnect
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Provider <_>' -ForEach 'AimlApi', 'OpenAI' {
    BeforeAll {
        Connect-GptImage -Provider $_ -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        $script:provider = $_
    }

    It 'generates one image and saves it' {
        $p = New-GptImage -Prompt 'A T-Rex on a sun lounger, realistic photo' -OutputDirectory (Join-Path $TestDrive "one-$provider") -Wait
        $p.Status | Should -Be 'completed'
        $p.Provider | Should -Be $provider
        $p.Files[0].FullName | Should -Exist
        # The emulator's usage: AIML API 0.042 USD per image; OpenAI 1056 output tokens and a token per 4 prompt characters.
        if ($provider -eq 'AimlApi') { $p.Usage.Usd | Should -Be 0.042 }
        else { $p.Usage.TotalTokens | Should -Be (1056 + 10) }
    }

    It 'keeps outputs waiting to be saved in the user data folder, private, and nothing in the temp folder' {
        $shared = Join-Path ([IO.Path]::GetTempPath()) 'GptImage/outputs'
        $before = @(Get-ChildItem -LiteralPath $shared -Force -ErrorAction SilentlyContinue).Count
        # OpenAI answers gpt-image-1 in base64 only; the AIML API when asked.
        $base64 = if ($provider -eq 'AimlApi') { @{ ResponseFormat = 'b64_json' } } else { @{} }
        $p = New-GptImage -Prompt 'kept until saved' @base64
        $p.Status | Should -Be 'completed'
        $kept = $p.Outputs[0]
        $kept.IsFile | Should -BeTrue
        $folder = [Environment]::GetFolderPath('LocalApplicationData') | Join-Path -ChildPath 'GptImage/outputs'
        Split-Path $kept.LocalPath | Should -Be $folder
        @(Get-ChildItem -LiteralPath $shared -Force -ErrorAction SilentlyContinue).Count | Should -Be $before
        if (-not $IsWindows) {
            $folder | Should -BeLike "$env:XDG_DATA_HOME/*"
            (Get-Item -LiteralPath $folder).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
            (Get-Item -LiteralPath $kept.LocalPath).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        }
        $saved = $p | Save-GptImage -OutputDirectory (Join-Path $TestDrive "kept-$provider")
        $saved.FullName | Should -Exist
    }

    It 'runs a batch through Wait-GptImagePrediction without asking the service again' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $done = 'a cat', 'a dog' | New-GptImage -Quality low | Wait-GptImagePrediction -OutputDirectory (Join-Path $TestDrive "batch-$provider")
        $done | Should -HaveCount 2
        $done | ForEach-Object { $_.Files[0].FullName | Should -Exist }
        (Get-GptImageEmulatorStatistic -Emulator $emulator).imageGenerations - $before.imageGenerations | Should -Be 2
    }

    It 'edits every PNG piped from Get-ChildItem' {
        $shots = New-Item -ItemType Directory -Path (Join-Path $TestDrive "shots-$provider") -Force
        'one', 'two' | ForEach-Object { New-TestPng -Path (Join-Path $shots "$_.png") }
        $results = Get-ChildItem $shots -Filter *.png | Edit-GptImage -Prompt 'pastel colours' -OutputDirectory (Join-Path $TestDrive "edited-$provider") -Wait |
            Where-Object Status -eq 'completed'
        $results | Should -HaveCount 2
        $results.SourcePath | ForEach-Object { $_ | Should -BeLike '*.png' }
    }

    It 'collects a prediction later by id, asking the service once (runbook style)' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $secure = ConvertTo-SecureString $emulator.ApiKey -AsPlainText -Force
        $p = New-GptImage -Prompt 'collect later' -ApiKey $secure
        $done = Get-GptImagePrediction -Id $p.Id | Wait-GptImagePrediction -TimeoutSec 300
        $done.Id | Should -Be $p.Id
        $done.Status | Should -Be 'completed'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).imageGenerations - $before.imageGenerations | Should -Be 1
    }

    It 'sends nothing with -WhatIf' {
        $shots = New-Item -ItemType Directory -Path (Join-Path $TestDrive "whatif-$provider") -Force
        $null = New-TestPng -Path (Join-Path $shots 'one.png')
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        'one', 'two' | New-GptImage -WhatIf | Should -BeNullOrEmpty
        Get-ChildItem $shots -Filter *.png | Edit-GptImage -Prompt 'x' -WhatIf | Should -BeNullOrEmpty
        $after = Get-GptImageEmulatorStatistic -Emulator $emulator
        $after.imageGenerations | Should -Be $before.imageGenerations
        $after.imageEdits | Should -Be $before.imageEdits
    }

    It 'takes the output format from -OutFile' {
        $file = Join-Path $TestDrive "logo-$provider.webp"
        $p = New-GptImage -Prompt 'a logo' -Background transparent -OutFile $file
        $p.Files[0].FullName | Should -Be $file
    }

    It 'refuses what the provider does not take, naming who does' {
        { New-GptImage -Prompt 'x' -OutputFormat jpeg -Background transparent } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
        { New-GptImage -Prompt 'x' -OutputFormat jpeg -OutFile (Join-Path $TestDrive 'mismatch.png') } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
        { New-GptImage -Prompt 'x' -SyncMode } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
    }

    It 'reports a moderation refusal as GptImage.ContentModerated' {
        New-GptImage -Prompt 'x [emulator:fail=1200]' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.ContentModerated,*'
    }

    It 'totals the spend with Measure-Object' {
        $batch = 1..2 | ForEach-Object { New-GptImage -Prompt "poster $_" }
        if ($provider -eq 'AimlApi') { [math]::Round(($batch.Usage | Measure-Object -Property Usd -Sum).Sum, 6) | Should -Be 0.084 }
        else { ($batch.Usage | Measure-Object -Property TotalTokens -Sum).Sum | Should -Be (2 * (1056 + 2)) }
    }
}

Describe 'Per-call provider' {
    # Each call takes what only the provider it names takes, with -WhatIf: the other provider's public endpoint
    # is not reached, and the session's provider would refuse the parameter before anything is sent.
    It 'uses OpenAI for one call while the session is WaveSpeed' {
        Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        { New-GptImage -Prompt 'x' -OutputFormat webp -Size auto -WhatIf -Provider OpenAI -ApiKey 'k' } | Should -Not -Throw
        { New-GptImage -Prompt 'x' -OutputFormat webp -WhatIf } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
    }

    It 'uses WaveSpeed for one call while the session is AIML API' {
        Connect-GptImage -Provider AimlApi -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        { New-GptImage -Prompt 'x' -SyncMode -WhatIf -Provider WaveSpeed -ApiKey 'k' } | Should -Not -Throw
        { New-GptImage -Prompt 'x' -SyncMode -WhatIf } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
    }
}
