#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession

    function Invoke-ChildPowerShell {
        param([string] $Command)
        $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        # PowerShell as a .NET tool runs in the dotnet host: the child then needs pwsh.dll named.
        if ([IO.Path]::GetFileNameWithoutExtension($start.FileName) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $Command) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($start)
        $output = $child.StandardOutput.ReadToEndAsync()
        $errors = $child.StandardError.ReadToEndAsync()
        $child.WaitForExit(90000) | Should -BeTrue
        [pscustomobject]@{ Output = $output.Result; Errors = $errors.Result }
    }
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Predictions read back from a file or a job' {
    It 'saves an Export-Clixml batch from another process with Import-Clixml | Save-GptImage' {
        $batch = Join-Path $TestDrive 'batch.xml'
        'one', 'two' | New-GptImage | Export-Clixml -LiteralPath $batch
        $out = Join-Path $TestDrive 'saved'
        $command = "Import-Module '$(Get-GptImageModulePath)'; Connect-GptImage -ApiKey '$($emulator.ApiKey)' -BaseUri '$($emulator.BaseUri)'; " +
            "Import-Clixml -LiteralPath '$batch' | Save-GptImage -OutputDirectory '$out' -ErrorAction Stop | ForEach-Object { `$_.PSPath }"
        $child = Invoke-ChildPowerShell -Command $command
        $child.Errors | Should -BeNullOrEmpty
        $paths = $child.Output.Trim() -split '\r?\n'
        $paths | Should -HaveCount 2
        $paths | ForEach-Object { $_ | Should -BeLike 'Microsoft.PowerShell.Core\FileSystem::*' }
        Get-ChildItem -LiteralPath $out -File | Should -HaveCount 2
    }

    It 'takes only Id and Provider: edited Outputs, Status and SourcePath choose nothing' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $p = New-GptImage -Prompt 'edited later' -Wait
            $file = Join-Path $TestDrive 'edited.xml'
            $p | Export-Clixml -LiteralPath $file
            $xml = Get-Content -LiteralPath $file -Raw
            $elsewhere = "http://127.0.0.1:$($listener.LocalEndpoint.Port)/stolen.png"
            $xml = $xml.Replace($p.Outputs[0].ToString(), $elsewhere)
            $xml | Set-Content -LiteralPath $file
            $edited = Import-Clixml -LiteralPath $file
            $edited.Outputs | Should -Contain $elsewhere
            $files = $edited | Save-GptImage -OutputDirectory (Join-Path $TestDrive 'edited')
            $files | Should -HaveCount 1
            $listener.Pending() | Should -BeFalse -Because 'nothing is fetched from where an edited Outputs points'
        }
        finally { $listener.Stop() }
    }

    It 'binds a ConvertTo-Json | ConvertFrom-Json round trip to Get-, Wait- and Save-GptImage' {
        $json = New-GptImage -Prompt 'json' | ConvertTo-Json -Depth 3
        $read = $json | ConvertFrom-Json
        ($read | Get-GptImagePrediction).Id | Should -Be $read.Id
        $done = $read | Wait-GptImagePrediction
        $done | Should -BeOfType GptImage.Prediction
        $done.Status | Should -Be 'completed'
        $read | Save-GptImage -OutputDirectory (Join-Path $TestDrive 'json') | Should -HaveCount 1
    }

    It 'binds the output of a process job to Wait-GptImagePrediction' {
        $module = Get-GptImageModulePath
        $uri = $emulator.BaseUri
        $key = $emulator.ApiKey
        $job = Start-Job -ScriptBlock {
            Import-Module $using:module
            Connect-GptImage -ApiKey $using:key -BaseUri $using:uri
            New-GptImage -Prompt 'from a job'
        }
        $received = $job | Wait-Job -Timeout 90 | Receive-Job
        $job | Remove-Job -Force
        $received.PSObject.TypeNames | Should -Contain 'Deserialized.GptImage.Prediction'
        ($received | Wait-GptImagePrediction).Status | Should -Be 'completed'
    }

    It 'refuses an object without an Id by name, and sends nothing' {
        $grown = Measure-GptImageEmulatorRequest -Emulator $emulator -ScriptBlock {
            [pscustomobject]@{ Name = 'x' } | Save-GptImage -OutputDirectory (Join-Path $TestDrive 'none') -ErrorVariable problems -ErrorAction SilentlyContinue
            $script:problems = $problems
        }
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError*'
        $problems[0].Exception.Message | Should -Match 'has no Id'
        $grown.ResultQueries + $grown.DownloadRequests + $grown.SubmitRequests | Should -Be 0
    }
}

Describe 'Images API predictions read back in another session' -ForEach 'OpenAI' {
    BeforeAll { Connect-GptImage -Provider $_ -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri }
    AfterAll { Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri }

    It 'saves outputs still kept in the private folder from another process' {
        $batch = Join-Path $TestDrive 'kept.xml'
        New-GptImage -Prompt 'kept' | Export-Clixml -LiteralPath $batch
        $out = Join-Path $TestDrive 'kept-saved'
        $command = "Import-Clixml -LiteralPath '$batch' | Save-GptImage -OutputDirectory '$out' -ErrorAction Stop | ForEach-Object Name"
        $child = Invoke-ChildPowerShell -Command "Import-Module '$(Get-GptImageModulePath)'; $command"
        $child.Errors | Should -BeNullOrEmpty
        Get-ChildItem -LiteralPath $out -File | Should -HaveCount 1
    }

    It 'says GptImage.NotFound, not InputObjectNotBound, when nothing of it is kept' {
        $p = New-GptImage -Prompt 'gone'
        $read = $p | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $read.Id = 'img-' + [guid]::NewGuid().ToString('n')
        $read | Save-GptImage -OutputDirectory (Join-Path $TestDrive 'gone') -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.NotFound,*'
        $problems[0].Exception.Message | Should -Match 'cannot be queried again'
    }

    It 'refuses a kept output of another prediction, or outside the private folder' {
        $other = New-GptImage -Prompt 'other'
        $id = 'img-' + [guid]::NewGuid().ToString('n')
        $outside = New-TestPng -Path (Join-Path $TestDrive "$id-0.png")
        $read = [pscustomobject]@{ Id = $id; Provider = 'OpenAI'; Outputs = @($other.Outputs[0].ToString(), ([uri]$outside.FullName).ToString()) }
        $read | Save-GptImage -OutputDirectory (Join-Path $TestDrive 'refused') -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.NotFound,*'
    }
}

Describe 'Saved files as Get-Item gives them' {
    It 'writes FileInfo with the provider properties, shown with Mode and Length' {
        $files = New-GptImage -Prompt 'item' | Save-GptImage -OutputDirectory (Join-Path $TestDrive 'items')
        $item = Get-Item -LiteralPath $files[0].FullName
        foreach ($name in 'PSPath', 'PSParentPath', 'PSChildName', 'PSDrive', 'PSProvider', 'PSIsContainer') {
            "$($files[0].$name)" | Should -Be "$($item.$name)" -Because $name
        }
        # The FileSystem provider's view: Mode and Length on Windows, UnixMode and Size elsewhere.
        $columns = if ($IsWindows) { '\bMode\b.*\bLength\b' } else { '\bUnixMode\b.*\bSize\b' }
        $table = $files | Format-Table | Out-String
        $table | Should -Match $columns
        ($item | Format-Table | Out-String) | Should -Be $table
    }

    It 'gives the Files of a prediction written to the pipeline the same properties' {
        $p = New-GptImage -Prompt 'files' -OutputDirectory (Join-Path $TestDrive 'files') -Wait
        $p.Files[0].PSPath | Should -Be (Get-Item -LiteralPath $p.Files[0].FullName).PSPath
        ($p.Files | Format-Table | Out-String) | Should -Be (Get-Item -LiteralPath $p.Files[0].FullName | Format-Table | Out-String)
    }
}
