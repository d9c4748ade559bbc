#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emulator = Start-GptImageTestSession
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Get-GptImagePrediction' {
    It 'gets a prediction by id with one query' {
        $p = New-GptImage -Prompt 'x'
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $got = Get-GptImagePrediction -Id $p.Id
        $got.Id | Should -Be $p.Id
        $got | Should -BeOfType GptImage.Prediction
        (Get-GptImageEmulatorStatistic -Emulator $emulator).resultQueries - $before.resultQueries | Should -Be 1
    }

    It 'binds predictions and ids from the pipeline' {
        $batch = 'a', 'b' | New-GptImage
        ($batch | Get-GptImagePrediction).Id | Sort-Object | Should -Be ($batch.Id | Sort-Object)
        ($batch.Id | Get-GptImagePrediction) | Should -HaveCount 2
    }

    It 'reports an unknown id as GptImage.NotFound' {
        Get-GptImagePrediction -Id 'no-such-prediction' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.NotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'no-such-prediction'
    }

    It 'refuses an id that is not one path segment before sending anything' -TestCases @(
        @{ Id = '..' }, @{ Id = '.' }, @{ Id = 'a/../../balance' }
    ) {
        param($Id)
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        Get-GptImagePrediction -Id $Id -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -Be 'GptImage.InvalidParameter,GptImage.Commands.GetGptImagePredictionCommand'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).requests | Should -Be ($before.requests + 1) # the statistics call
    }

    It 'formats predictions as a compact table' {
        $prediction = New-GptImage -Prompt 'x' -Wait
        $lines = ($prediction | Format-Table | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Id\s+Status\s+Model\s+Time\s+Output$'
        $lines[2] | Should -Match "^$($prediction.Id)\s+completed\s+gpt-image-1\s+\d+\.\ds\s+1 image$"
        $saved = New-GptImage -Prompt 'x' -OutputDirectory $TestDrive
        ($saved | Format-Table | Out-String -Width 80) | Should -Match "$($saved.Id)\s+completed.*\s1 file\r?\n"
    }

    It 'has help with examples' {
        @((Get-Help Get-GptImagePrediction -Examples).Examples.Example).Count | Should -BeGreaterOrEqual 3
    }
}
