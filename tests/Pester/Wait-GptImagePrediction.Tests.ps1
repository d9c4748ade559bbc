#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
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
        # The task cannot end while the test runs: the bar is refreshed with nothing ending, counted as it
        # happens (with a deadline), and the wait is then stopped.
        $slow = New-GptImage -Prompt 'slow [emulator:latency=600000]'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Module, $BaseUri, $ApiKey, $Id)
                    Import-Module $Module -ErrorAction Stop
                    Connect-GptImage -ApiKey $ApiKey -BaseUri $BaseUri
                    Wait-GptImagePrediction -Id $Id
                }).AddParameters(@{ Module = (Get-GptImageModulePath); BaseUri = $emulator.BaseUri; ApiKey = $emulator.ApiKey; Id = $slow.Id })
            $null = $ps.BeginInvoke()
            $deadline = [Diagnostics.Stopwatch]::StartNew()
            $elapsed = @()
            while ($elapsed.Count -lt 3 -and $deadline.Elapsed.TotalSeconds -lt 60) {
                Start-Sleep -Milliseconds 50
                $elapsed = @($ps.Streams.Progress | Where-Object StatusDescription -Match '^0 of 1 done, (\d+) s elapsed$' |
                        ForEach-Object { [int]($_.StatusDescription -replace '^0 of 1 done, (\d+) s elapsed$', '$1') } | Sort-Object -Unique)
            }
            $ps.Stop()
            $elapsed.Count | Should -BeGreaterOrEqual 3 -Because 'the bar is refreshed with the time waited while nothing ends'
            (@($ps.Streams.Progress).ActivityId | Sort-Object -Unique) | Should -HaveCount 1
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

    It 'queries, downloads and writes nothing with -WhatIf' {
        $p = New-GptImage -Prompt 'x' -Wait
        $out = Join-Path $TestDrive 'whatif'
        $served = Measure-GptImageEmulatorRequest -Emulator $emulator { $p | Wait-GptImagePrediction -OutputDirectory $out -WhatIf | Should -BeNullOrEmpty }
        $out | Should -Not -Exist
        ($served.downloadRequests, $served.resultQueries) | Should -Be @(0, 0)
    }

    # Where .NET puts the local application data folder can be moved only on Linux (XDG_DATA_HOME).
    It 'keeps learnt timings for the next session, which then looks just after the expected end' -Skip:(-not $IsLinux) {
        $saved = $env:XDG_DATA_HOME
        try {
            $env:XDG_DATA_HOME = Join-Path $TestDrive 'data'
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
            New-GptImage -Prompt 'learn [emulator:latency=1500]' -Quality high -Wait | Out-Null
            $file = Join-Path $env:XDG_DATA_HOME 'GptImage/timings.json'
            $file | Should -Exist
            $kind = ([uri]$emulator.BaseUri).Authority + '|openai/gpt-image-1/text-to-image|1024x1024|high'
            (Get-Content -LiteralPath $file -Raw | ConvertFrom-Json).durationsMs.$kind | Should -Be 1500

            # A new connection (as in a new session) reads the file: a coarse look at 1 s, then one just after
            # 1.5 s; a blind one would look at 0.25-0.75 s, about 1 s and 2 s.
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
            $before = Get-GptImageEmulatorStatistic -Emulator $emulator
            New-GptImage -Prompt 'informed [emulator:latency=1500]' -Quality high -Wait | Select-Object -ExpandProperty Status | Should -Be 'completed'
            (Get-GptImageEmulatorStatistic -Emulator $emulator).resultQueries - $before.resultQueries | Should -Be 2

            # A batch fed a prompt at a time ends a task at a time, a few milliseconds apart: each task still looks
            # once, just after its own end, and only the scout also looks at 1 s.
            $before = Get-GptImageEmulatorStatistic -Emulator $emulator
            $done = 1..6 | ForEach-Object { Start-Sleep -Milliseconds 15; "fed $_ [emulator:latency=1500]" } |
                New-GptImage -Quality high | Wait-GptImagePrediction
            $done.Status | Should -Be (@('completed') * 6)
            (Get-GptImageEmulatorStatistic -Emulator $emulator).resultQueries - $before.resultQueries | Should -BeIn 6, 7
        }
        finally {
            $env:XDG_DATA_HOME = $saved
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        }
    }
}
