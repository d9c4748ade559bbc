#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emulator = Start-GptImageTestSession
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Wait-GptImagePrediction' {
    It 'waits for a submitted batch and saves every image (DESIGN example 2)' {
        $prompts = Join-Path $TestDrive 'prompts.txt'
        Set-Content -LiteralPath $prompts -Value 'a cat', 'a dog', 'a bird', 'a fish'
        $out = Join-Path $TestDrive 'out'
        $done = Get-Content $prompts | New-GptImage -Quality low | Wait-GptImagePrediction -OutputDirectory $out
        $done | Should -HaveCount 4
        $done | ForEach-Object { $_.Status | Should -Be 'completed'; $_.Files[0].FullName | Should -Exist }
        Get-ChildItem $out -Filter *.png | Should -HaveCount 4
        Get-ChildItem $out -Force -Filter '.gptimage-*' | Should -BeNullOrEmpty
    }

    It 'writes each prediction as it ends, not in input order' {
        $slow = New-GptImage -Prompt 'slow [emulator:latency=1500]'
        $fast = New-GptImage -Prompt 'fast [emulator:latency=100]'
        $order = $slow, $fast | Wait-GptImagePrediction
        $order.Id | Should -Be @($fast.Id, $slow.Id)
    }

    It 'lets the rest finish when one fails, and Where-Object keeps the completed ones' {
        $batch = 'one', 'two [emulator:fail=1403]', 'three' | New-GptImage
        $completed = $batch | Wait-GptImagePrediction -ErrorVariable failures -ErrorAction SilentlyContinue | Where-Object Status -eq 'completed'
        $completed | Should -HaveCount 2
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.TaskFailed,*'
        $failures[0].TargetObject.Status | Should -Be 'failed'
    }

    It 'throws on a failure with -ErrorAction Stop' {
        $p = New-GptImage -Prompt 'bad [emulator:fail=1403]'
        { $p | Wait-GptImagePrediction -ErrorAction Stop } | Should -Throw -ErrorId 'GptImage.TaskFailed,GptImage.Commands.WaitGptImagePredictionCommand'
    }

    It 'waits on predictions that went through Export-Clixml, as between runbook jobs' {
        $file = Join-Path $TestDrive 'predictions.xml'
        'one', 'two' | New-GptImage | Export-Clixml -LiteralPath $file
        $done = Import-Clixml -LiteralPath $file | Wait-GptImagePrediction
        $done | Should -HaveCount 2
        $done | ForEach-Object { $_ | Should -BeOfType GptImage.Prediction; $_.Status | Should -Be 'completed' }
    }

    It 'keeps one progress bar moving with the time waited while nothing ends' {
        $slow = New-GptImage -Prompt 'slow [emulator:latency=4000]'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Module, $BaseUri, $ApiKey, $Id)
                    Import-Module $Module
                    Connect-GptImage -ApiKey $ApiKey -BaseUri $BaseUri
                    Wait-GptImagePrediction -Id $Id
                }).AddParameters(@{ Module = (Get-GptImageModulePath); BaseUri = $emulator.BaseUri; ApiKey = $emulator.ApiKey; Id = $slow.Id })
            $done = $ps.Invoke()
            $done.Status | Should -Be 'completed'
            $records = @($ps.Streams.Progress)
            ($records.ActivityId | Sort-Object -Unique) | Should -HaveCount 1
            $waiting = @($records | Where-Object { $_.StatusDescription -like '0 of 1 done, * s elapsed' })
            $waiting.Count | Should -BeGreaterOrEqual 2 -Because 'the bar is refreshed every second while the task runs'
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'saves the base64 outputs of a task known only by its id, finished or still running' {
        foreach ($latency in 0, 1500) {
            $p = New-GptImage -Prompt "inline [emulator:latency=$latency]" -Base64Output
            if ($latency -eq 0) { $null = Get-GptImagePrediction -Id $p.Id }
            $out = Join-Path $TestDrive "b64-by-id-$latency"
            $done = Wait-GptImagePrediction -Id $p.Id -OutputDirectory $out
            $done.Status | Should -Be 'completed'
            $done.Files | Should -HaveCount 1
            $done.Files[0].FullName | Should -Exist
        }
    }

    It 'waits on ids piped as strings' {
        $p = New-GptImage -Prompt 'x'
        ($p.Id | Wait-GptImagePrediction).Status | Should -Be 'completed'
    }

    It 'gives up after -TimeoutSec with GptImage.Timeout, leaving the task running' {
        $p = New-GptImage -Prompt 'long [emulator:latency=60000]'
        $p | Wait-GptImagePrediction -TimeoutSec 1 -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.Timeout,*'
        $problems[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        (Get-GptImagePrediction -Id $p.Id).Status | Should -BeIn 'created', 'processing'
    }

    It 'passes a finished prediction on without asking the service' {
        $done = New-GptImage -Prompt 'x' -Wait
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        ($done | Wait-GptImagePrediction).Id | Should -Be $done.Id
        (Get-GptImageEmulatorStatistic -Emulator $emulator).resultQueries | Should -Be $before.resultQueries
    }

    It 'writes no file with -WhatIf' {
        $p = New-GptImage -Prompt 'x' -Wait
        $out = Join-Path $TestDrive 'whatif'
        $p | Wait-GptImagePrediction -OutputDirectory $out -WhatIf | Should -BeNullOrEmpty
        $out | Should -Not -Exist
    }

    It 'has help with examples' {
        @((Get-Help Wait-GptImagePrediction -Examples).Examples.Example).Count | Should -BeGreaterOrEqual 3
    }
}
