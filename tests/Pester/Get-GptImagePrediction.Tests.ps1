#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
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

    It 'stops listing at a history page that repeats one already seen, and warns' {
        $null = New-GptImage -Prompt 'listed' -Wait
        $hostile = $emulator.BaseUri + '_hostile/history=repeat/'
        Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $hostile
        try { $listed = Get-GptImagePrediction -WarningVariable warnings -WarningAction SilentlyContinue }
        finally { Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri }
        $listed | Should -HaveCount 100
        $warnings | Should -HaveCount 1
        "$warnings" | Should -BeLike '*repeats predictions already listed*'
    }

    It 'skips a bad history item with a warning and keeps the rest of the page' {
        $null = 'first', 'second', 'third' | New-GptImage -Wait
        $all = @(Get-GptImagePrediction)
        $hostile = $emulator.BaseUri + '_hostile/history=bad-item/'
        Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $hostile
        try { $listed = @(Get-GptImagePrediction -WarningVariable warnings -WarningAction SilentlyContinue) }
        finally { Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri }
        $listed | Should -HaveCount ($all.Count - 2)
        $warnings | Should -HaveCount 2
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
}

Describe 'Get-GptImagePrediction without -Id' {
    BeforeAll {
        $script:start = Get-Date
        $script:failed = New-GptImage -Prompt 'blocked [emulator:fail=1200]'
        $script:mini = New-GptImage -Prompt 'small' -Model gpt-image-1-mini
        $script:newest = New-GptImage -Prompt 'newest' -Wait
    }

    It 'lists recent predictions, newest first' {
        $listed = @(Get-GptImagePrediction -CreatedAfter $start)
        $listed | Should -HaveCount 3
        $listed[0].Id | Should -Be $newest.Id
        $listed | ForEach-Object { $_ | Should -BeOfType GptImage.Prediction }
    }

    It 'filters by model id, status and time as the service does, and slices with -Skip and -First' {
        (Get-GptImagePrediction -Model openai/gpt-image-1-mini/text-to-image -CreatedAfter $start).Id | Should -Be $mini.Id
        $null = Wait-GptImagePrediction -Prediction $failed -ErrorAction SilentlyContinue
        (Get-GptImagePrediction -Status failed -CreatedAfter $start).Id | Should -Be $failed.Id
        @(Get-GptImagePrediction -CreatedBefore $start.AddMinutes(-1)) | Should -BeNullOrEmpty
        (Get-GptImagePrediction -CreatedAfter $start -Skip 1 -First 1).Id | Should -Be $mini.Id
        $sent = (Get-GptImagePrediction -CreatedAfter $start -Status completed -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $sent | Should -BeLike '*"status":"completed","created_after":"*Z"*'
    }

    It 'hands listed predictions to Save-GptImage (yesterday''s results, runbook style)' {
        $files = Get-GptImagePrediction -Status completed -CreatedAfter $start -First 1 | Save-GptImage -OutputDirectory (Join-Path $TestDrive 'listed')
        $files | Should -HaveCount 1
        $files[0].Name | Should -Be "$($newest.Id)-0.png"
    }

    It 'completes -Model with WaveSpeed model ids and -Status with the service''s statuses' {
        $line = 'Get-GptImagePrediction -Model openai/gpt-image-1-m'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('openai/gpt-image-1-mini/text-to-image', 'openai/gpt-image-1-mini/edit')
        $line = 'Get-GptImagePrediction -Status '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Sort-Object | Should -Be @('completed', 'created', 'failed', 'processing')
        $line = 'Get-GptImagePrediction -Model gpt-image-1-m'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('gpt-image-1-mini')
    }

    It 'takes the model names predictions show: gpt-image-1 lists its text-to-image and edit tasks' {
        $shot = Join-Path $TestDrive 'shot.png'
        New-TestPng -Path $shot
        $edit = Edit-GptImage -Path $shot -Prompt 'pastel'
        $listed = @(Get-GptImagePrediction -Model gpt-image-1 -CreatedAfter $start)
        $listed.Id | Should -Be @($edit.Id, $newest.Id, $failed.Id)
        $listed.Model | Sort-Object -Unique | Should -Be 'gpt-image-1'
        (Get-GptImagePrediction -Model openai/gpt-image-1 -CreatedAfter $start).Id | Should -Be $edit.Id
        (Get-GptImagePrediction -Model gpt-image-1-mini -CreatedAfter $start).Id | Should -Be $mini.Id
    }

    It 'lists predictions not started yet with -Status created' {
        $waiting = New-GptImage -Prompt 'queued [emulator:latency=600000]'
        $created = @(Get-GptImagePrediction -Status created -CreatedAfter $start)
        # Other tasks of this file may still be waiting too: this one is listed, and only tasks not started are.
        $created.Id | Should -Contain $waiting.Id
        $created.Status | Sort-Object -Unique | Should -Be 'created'
    }

    It 'warns, naming the 7-day retention, when asked for more history than the service keeps' {
        $null = Get-GptImagePrediction -CreatedAfter (Get-Date).AddDays(-30) -First 1 -WarningVariable old -WarningAction SilentlyContinue
        $old | Should -HaveCount 1
        "$old" | Should -BeLike '*7 days*'
        $null = Get-GptImagePrediction -CreatedAfter $start -Skip 1000 -WarningVariable beyond -WarningAction SilentlyContinue
        "$beyond" | Should -BeLike '*7 days*'
    }

    It 'is refused before sending on <_>, naming WaveSpeed' -ForEach 'AimlApi', 'OpenAI' {
        { Get-GptImagePrediction -Provider $_ -ApiKey 'any' } |
            Should -Throw -ErrorId 'GptImage.NotSupported,GptImage.Commands.GetGptImagePredictionCommand' -ExpectedMessage '*WaveSpeed*'
    }
}
