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
        $before = Get-GptImageEmulatorStats -Emulator $emulator
        $got = Get-GptImagePrediction -Id $p.Id
        $got.Id | Should -Be $p.Id
        $got | Should -BeOfType GptImage.Prediction
        (Get-GptImageEmulatorStats -Emulator $emulator).resultQueries - $before.resultQueries | Should -Be 1
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

    It 'formats predictions as a compact table' {
        $text = New-GptImage -Prompt 'x' -Wait | Format-Table | Out-String
        foreach ($header in 'Id', 'Status', 'Model', 'Time', 'Files') { $text | Should -Match "\b$header\b" }
        $text | Should -Match 'completed'
    }

    It 'has help with examples' {
        @((Get-Help Get-GptImagePrediction -Examples).Examples.Example).Count | Should -BeGreaterOrEqual 3
    }
}
