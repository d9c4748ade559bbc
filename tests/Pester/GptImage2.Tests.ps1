#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }
param()

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession
    # OpenAI's calls of this file reach the emulator as the official SDKs would: through OPENAI_BASE_URL.
    $script:savedOpenAiBase = $env:OPENAI_BASE_URL
    $env:OPENAI_BASE_URL = $emulator.BaseUri
    $script:openAi = @{ Provider = 'OpenAI'; ApiKey = $emulator.ApiKey }
    function Get-LastSubmit { Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit') }
}

AfterAll {
    $env:OPENAI_BASE_URL = $savedOpenAiBase
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'GPT Image 2 as a known model' {
    It 'generates on WaveSpeed by aspect ratio and resolution, with no unknown-model warning and a price' {
        $p = New-GptImage -Prompt 'a jazz poster' -Model gpt-image-2 -AspectRatio 16:9 -Resolution 2K -Quality high -OutputDirectory (Join-Path $TestDrive 'ws') -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        $p.Status | Should -Be 'completed'
        $p.ModelId | Should -Be 'openai/gpt-image-2/text-to-image'
        $p.Usd | Should -Be 0.06
        $p.UsdSource | Should -BeLike "estimate:*from `$0.060/run*"
        $body = (Get-LastSubmit).body
        "$($body.aspect_ratio)/$($body.resolution)/$($body.quality)" | Should -Be '16:9/2k/high'
        $p.Files[0].FullName | Should -Exist
    }

    It 'edits on WaveSpeed with no unknown-model warning and a price' {
        $shot = New-TestPng -Path (Join-Path $TestDrive 'ws-shot.png')
        $p = Edit-GptImage -Path $shot -Prompt 'pastel' -Model gpt-image-2 -Resolution 1k -OutputDirectory (Join-Path $TestDrive 'ws-edit') -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        $p.ModelId | Should -Be 'openai/gpt-image-2/edit'
        $p.Usd | Should -Be 0.06
        @((Get-LastSubmit).body.images) | Should -HaveCount 1
    }

    It 'refuses -Size on WaveSpeed, naming -AspectRatio and -Resolution, before anything is sent' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        { New-GptImage -Prompt 'x' -Model gpt-image-2 -Size 1024x1024 -ErrorAction Stop } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*-AspectRatio*not mapped*'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submits | Should -Be $before.submits
    }

    It 'generates and edits on OpenAI with a flexible size, no unknown-model warning and a price' {
        $p = New-GptImage -Prompt 'a wide harbour' -Model gpt-image-2 -Size 1536x864 -OutputDirectory (Join-Path $TestDrive 'oa') -WarningVariable warnings @openAi
        $warnings | Should -BeNullOrEmpty
        $p.Provider | Should -Be 'OpenAI'
        $p.Size | Should -Be '1536x864'
        $p.Usd | Should -BeGreaterThan 0
        $p.UsdSource | Should -BeLike 'estimate:*output tokens*'
        $shot = New-TestPng -Path (Join-Path $TestDrive 'oa-shot.png')
        $e = Edit-GptImage -Path $shot -Prompt 'pastel' -Model gpt-image-2 -InputFidelity high -OutputDirectory (Join-Path $TestDrive 'oa-edit') -WarningVariable editWarnings @openAi
        $editWarnings | Should -BeNullOrEmpty
        $e.Status | Should -Be 'completed'
        $e.Usd | Should -BeGreaterThan 0
    }

    It 'refuses a size outside gpt-image-2''s rules on OpenAI, naming the rule' {
        { New-GptImage -Prompt 'x' -Model gpt-image-2 -Size 1000x1000 -WhatIf -ErrorAction Stop @openAi } | Should -Throw -ExpectedMessage '*multiple of 16*'
    }

    It 'completes -AspectRatio and -Resolution for WaveSpeed''s gpt-image-2' {
        $line = 'New-GptImage -Model gpt-image-2 -AspectRatio 16'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('16:9')
        $line = 'New-GptImage -Model gpt-image-2 -Resolution '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('1k', '2k', '4k')
    }
}

Describe '-PartialImages' {
    It 'writes two previews beside the final image and reports each with -Verbose' {
        $out = Join-Path $TestDrive 'lighthouse.png'
        $records = @(New-GptImage -Prompt 'a lighthouse' -Model gpt-image-2 -PartialImages 2 -OutFile $out -Verbose 4>&1 @openAi)
        $p = @($records | Where-Object { $_ -is [GptImage.Prediction] })
        $p | Should -HaveCount 1
        $p[0].Files[0].FullName | Should -Be $out
        Join-Path $TestDrive 'lighthouse.partial-0.png' | Should -Exist
        Join-Path $TestDrive 'lighthouse.partial-1.png' | Should -Exist
        @(Get-ChildItem $TestDrive -Filter 'lighthouse*.png') | Should -HaveCount 3
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $verbose | Where-Object { $_ -like '*partial image 2 of 2 saved to*lighthouse.partial-1.png' } | Should -HaveCount 1
        (Get-LastSubmit).body.partial_images | Should -Be 2
    }

    It 'ends a stream -TimeoutSec stops part-way as an outcome unknown, naming the previews kept, not as a task to query later' {
        $out = Join-Path $TestDrive 'stopped'
        # Drawn in 6 s, the previews at 2 s and 4 s: the call is stopped after the first.
        New-GptImage -Prompt 'a slow one [emulator:latency=6000]' -Model gpt-image-2 -PartialImages 2 -OutputDirectory $out -TimeoutSec 3 @openAi `
            -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.SubmitOutcomeUnknown,*'
        $problems[0].Exception.Message | Should -BeLike '*(stopped) after 1 of 2 partial image(s)*may have been made and charged*Partial images kept:*.partial-0.png*'
        $problems[0].Exception.Message | Should -Not -BeLike '*Get-GptImagePrediction*'
        @(Get-ChildItem $out -Filter *.partial-0.png) | Should -HaveCount 1
    }

    It 'keeps the previews of a stream cut half-way and reports the error; the task is not sent again' {
        $out = Join-Path $TestDrive 'cut'
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        New-GptImage -Prompt 'a cut [emulator:stream-cut=1]' -Model gpt-image-2 -PartialImages 2 -OutputDirectory $out -ErrorVariable problems -ErrorAction SilentlyContinue @openAi |
            Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.SubmitOutcomeUnknown,*'
        $problems[0].Exception.Message | Should -BeLike '*broke off*after 1 of 2 partial image(s)*not sent again*Partial images kept:*.partial-0.png*'
        $kept = @(Get-ChildItem $out -Filter *.png)
        $kept | Should -HaveCount 1
        $kept[0].Name | Should -BeLike '*-0.partial-0.png'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).imageGenerations - $before.imageGenerations | Should -Be 1
    }

    It 'is refused without -OutputDirectory or -OutFile, before anything is sent' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        { New-GptImage -Prompt 'x' -Model gpt-image-2 -PartialImages 1 -ErrorAction Stop @openAi } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*-OutputDirectory or -OutFile*'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).imageGenerations | Should -Be $before.imageGenerations
    }

    It 'is refused on a provider that documents no streaming, naming it' {
        { New-GptImage -Prompt 'x' -PartialImages 1 -OutputDirectory $TestDrive -ErrorAction Stop } | Should -Throw -ExpectedMessage '*WaveSpeed documents no streamed partial images*OpenAI*'
    }

    It 'streams unchanged to OpenAI''s official TypeScript SDK: two partial images, then the completed event' {
        $events = @(Invoke-OpenAISdk -Script stream.mjs -Environment @{ OPENAI_BASE_URL = $emulator.BaseUri + 'v1'; OPENAI_API_KEY = $emulator.ApiKey } -ArgumentList '2')
        $events.type | Should -Be @('image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed')
        $events[0].partial_image_index | Should -Be 0
        $events[1].partial_image_index | Should -Be 1
        $events | ForEach-Object { $_.b64_length | Should -BeGreaterThan 1000 }
        $events[2].has_usage | Should -BeTrue
    }
}
