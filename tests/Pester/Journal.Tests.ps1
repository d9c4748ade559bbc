#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

# The journal of paid tasks is the user's (XDG_DATA_HOME off Windows): this file gives itself and its child
# processes a data folder of their own, so what other files leave unsaved is not collected here.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:userData = $env:XDG_DATA_HOME
    $env:XDG_DATA_HOME = Join-Path ([IO.Path]::GetTempPath()) ('gptimage-journal-' + [guid]::NewGuid().ToString('n'))
    # Tasks that take 8 s: a batch is still running when its session is killed or stopped.
    $script:emulator = Start-GptImageTestSession -InferenceLatencyMs 8000
    $script:module = Get-GptImageModulePath

    function Invoke-ChildSession {
        # A new 'dotnet pwsh' with the module imported and connected to the emulator; it inherits XDG_DATA_HOME.
        param([string] $Command, [string] $Provider = 'WaveSpeed')
        $prefix = "Import-Module '$module'; Connect-GptImage -Provider $Provider -ApiKey '$($emulator.ApiKey)' -BaseUri '$($emulator.BaseUri)'; "
        $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension($start.FileName) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', ($prefix + $Command)) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($start)
        [pscustomobject]@{ Process = $child; Output = $child.StandardOutput.ReadToEndAsync(); Errors = $child.StandardError.ReadToEndAsync() }
    }

    function Get-JournalCount {
        # Tasks in the journal: entries minus removals (the file format is documented in about_GptImage).
        $journal = Join-Path $env:XDG_DATA_HOME 'GptImage/journal/tasks.jsonl'
        if (-not (Test-Path -LiteralPath $journal)) { return 0 }
        $lines = @(Get-Content -LiteralPath $journal)
        @($lines | Where-Object { $_ -match '"provider":' }).Count - @($lines | Where-Object { $_ -match '^\{"removed":' }).Count
    }

    function Wait-Condition {
        param([scriptblock] $Condition, [int] $Seconds = 60)
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "Not reached within $Seconds s: $Condition" }
            Start-Sleep -Milliseconds 100
        }
    }

    function Get-Submit { (Get-GptImageEmulatorStatistic -Emulator $emulator).submits }
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
    Remove-Item -LiteralPath $env:XDG_DATA_HOME -Recurse -Force -ErrorAction SilentlyContinue
    $env:XDG_DATA_HOME = $userData
}

Describe 'The journal of paid tasks' -Skip:$IsWindows {
    It 'keeps a batch whose session was killed after its submits, and a new session collects all of it without submitting again' {
        $before = Get-Submit
        $x = Join-Path $TestDrive 'killed-x'
        $y = Join-Path $TestDrive 'killed-y'
        $child = Invoke-ChildSession "1..6 | ForEach-Object { 'p' + `$_ } | New-GptImage -OutputDirectory '$x'"
        try {
            Wait-Condition { (Get-Submit) -ge $before + 6 }
            Wait-Condition { (Get-JournalCount) -ge 6 } -Seconds 20
        }
        finally {
            Stop-Process -Id $child.Process.Id -Force
            $child.Process.WaitForExit(10000) | Should -BeTrue
        }
        Get-Submit | Should -Be ($before + 6)
        @(Get-ChildItem -LiteralPath $x -ErrorAction SilentlyContinue).Count | Should -Be 0

        $collector = Invoke-ChildSession "Get-GptImagePrediction -Pending | Save-GptImage -OutputDirectory '$y' | ForEach-Object Name"
        $collector.Process.WaitForExit(120000) | Should -BeTrue
        $collector.Errors.Result | Should -BeNullOrEmpty
        @($collector.Output.Result.Trim() -split '\r?\n').Count | Should -Be 6
        @(Get-ChildItem -LiteralPath $y -Filter *.png).Count | Should -Be 6
        Get-Submit | Should -Be ($before + 6)
        Get-JournalCount | Should -Be 0
    }

    It 'warns after Ctrl+C how many paid tasks are left and the command that collects them, which then collects them' {
        $before = Get-Submit
        $x = Join-Path $TestDrive 'stopped-x'
        $y = Join-Path $TestDrive 'stopped-y'
        # Ctrl+C is a stop of the running pipeline: PowerShell's Stop() on a runspace that shares the child's host,
        # which shows the warning (a stopping pipeline takes no more records).
        $script = Join-Path $TestDrive 'stop.ps1'
        Set-Content -LiteralPath $script -Encoding ascii -Value @"
`$ps = [powershell]::Create()
`$ps.Runspace = [runspacefactory]::CreateRunspace(`$Host)
`$ps.Runspace.Open()
`$null = `$ps.AddScript("Import-Module '$module'; Connect-GptImage -ApiKey '$($emulator.ApiKey)' -BaseUri '$($emulator.BaseUri)'; 1..6 | ForEach-Object { 'q' + ```$_ } | New-GptImage -OutputDirectory '$x'")
`$running = `$ps.BeginInvoke()
`$deadline = [DateTime]::UtcNow.AddSeconds(60)
while ((Invoke-RestMethod '$($emulator.BaseUri)_emulator/stats').submits -lt $($before + 6) -and [DateTime]::UtcNow -lt `$deadline) { Start-Sleep -Milliseconds 100 }
`$journal = Join-Path `$env:XDG_DATA_HOME 'GptImage/journal/tasks.jsonl'
function Get-Live { `$lines = @(Get-Content -LiteralPath `$journal -ErrorAction SilentlyContinue); @(`$lines -match '"provider":').Count - @(`$lines -match '^\{"removed":').Count }
while ((Get-Live) -lt $((Get-JournalCount) + 6) -and [DateTime]::UtcNow -lt `$deadline) { Start-Sleep -Milliseconds 100 }
`$ps.Stop()
'stopped: ' + `$running.IsCompleted
`$ps.Streams.Error | ForEach-Object { 'error: ' + `$_ }
if (`$ps.InvocationStateInfo.Reason -isnot [System.Management.Automation.PipelineStoppedException]) { 'reason: ' + `$ps.InvocationStateInfo.Reason }
"@
        $child = Invoke-ChildSession "& '$script'"
        $child.Process.WaitForExit(90000) | Should -BeTrue
        $child.Errors.Result | Should -BeNullOrEmpty
        $output = $child.Output.Result
        $output | Should -Match 'stopped: True'
        $output | Should -Match ([regex]::Escape("Stopped: 6 paid task(s) of this call are still running or unsaved."))
        $output | Should -Match ([regex]::Escape("Get-GptImagePrediction -Pending | Save-GptImage -OutputDirectory '$x'"))
        Get-Submit | Should -Be ($before + 6)
        Get-JournalCount | Should -Be 6

        $collector = Invoke-ChildSession "Get-GptImagePrediction -Pending | Save-GptImage -OutputDirectory '$y' | ForEach-Object Name"
        $collector.Process.WaitForExit(120000) | Should -BeTrue
        $collector.Errors.Result | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $y -Filter *.png).Count | Should -Be 6
        Get-Submit | Should -Be ($before + 6)
        Get-JournalCount | Should -Be 0
    }

    It 'keeps an AIML API answer received but not saved for a new process' {
        $generations = (Get-GptImageEmulatorStatistic -Emulator $emulator).imageGenerations
        $first = Invoke-ChildSession "`$null = New-GptImage -Prompt 'kept for later' -ResponseFormat b64_json" -Provider AimlApi
        $first.Process.WaitForExit(60000) | Should -BeTrue
        $first.Errors.Result | Should -BeNullOrEmpty
        Get-JournalCount | Should -Be 1
        $z = Join-Path $TestDrive 'aiml'
        $second = Invoke-ChildSession "Get-GptImagePrediction -Pending -Provider AimlApi | Save-GptImage -OutputDirectory '$z' | ForEach-Object Name" -Provider AimlApi
        $second.Process.WaitForExit(60000) | Should -BeTrue
        $second.Errors.Result | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $z -Filter *.png).Count | Should -Be 1
        (Get-GptImageEmulatorStatistic -Emulator $emulator).imageGenerations | Should -Be ($generations + 1)
        Get-JournalCount | Should -Be 0
    }

    It 'lists nothing when nothing is pending' {
        @(Get-GptImagePrediction -Pending) | Should -HaveCount 0
    }
}
