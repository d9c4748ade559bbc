#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:manifestPath = Get-GptImageModulePath
    $script:module = Import-Module $manifestPath -Force -PassThru -ErrorAction Stop
}

Describe 'The GptImage module' {
    It 'has a valid manifest for both editions' {
        $manifest = Test-ModuleManifest -Path $manifestPath
        $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
        $props = [xml](Get-Content -LiteralPath (Join-Path $PSScriptRoot '../../Directory.Build.props') -Raw)
        $manifest.Version | Should -Be ([version]@($props.Project.PropertyGroup.VersionPrefix | Where-Object { $_ })[0])
    }

    It 'declares Windows PowerShell 5.1 on .NET Framework 4.7.2, and its RootModule names each edition''s build' {
        $manifest = Test-ModuleManifest -Path $manifestPath
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.DotNetFrameworkVersion | Should -Be ([version]'4.7.2')
        $manifest.RootModule | Should -Be 'bin/net8.0/GptImage.PowerShell.dll'
        # What Windows PowerShell reads: the branch of the same expression for $PSEdition 'Desktop', a file the module ships.
        $desktop = [regex]::Match((Get-Content -LiteralPath $manifestPath -Raw), "RootModule\s*=\s*if \(\`$PSEdition -eq 'Core'\) \{ '[^']+' \} else \{ '(?<path>[^']+)' \}").Groups['path'].Value
        $desktop | Should -Be 'bin/net472/GptImage.PowerShell.dll'
        Join-Path (Split-Path -Parent $manifestPath) $desktop | Should -Exist
    }

    It 'exports exactly its cmdlets' {
        $module.ExportedCmdlets.Keys | Sort-Object | Should -Be @(
            'Connect-GptImage', 'ConvertFrom-GptImageWebhook', 'Disconnect-GptImage', 'Edit-GptImage', 'Export-GptImageGallery',
            'Get-GptImageBalance', 'Get-GptImagePrediction', 'Get-GptImageWebhookSecret', 'New-GptImage', 'Save-GptImage',
            'Test-GptImageWebhookSignature', 'Wait-GptImagePrediction')
        $module.ExportedFunctions.Keys | Should -BeNullOrEmpty
    }

    It 'does no work at import: no file under the temp folder, no socket, no queued work' {
        # In a fresh process with a temp folder of its own, once PowerShell's start-up has settled; the snapshot after import
        # is taken a second later.
        $temp = Join-Path $TestDrive 'import-temp'
        $null = New-Item -ItemType Directory -Path $temp
        $command = @"
function Get-Socket { @(Get-ChildItem "/proc/`$PID/fd" -ErrorAction SilentlyContinue | Where-Object { `$_.LinkTarget -like 'socket:*' }).Count }
function Get-TempEntry { @(Get-ChildItem ([IO.Path]::GetTempPath()) -Recurse -Force -Name) -join '|' }
Start-Sleep -Seconds 1  # PowerShell's own start-up work settles first
`$files = Get-TempEntry; `$sockets = Get-Socket
Import-Module '$manifestPath' -ErrorAction Stop
`$work = [Threading.ThreadPool]::CompletedWorkItemCount
Start-Sleep -Seconds 1
[pscustomobject]@{ Work = [Threading.ThreadPool]::CompletedWorkItemCount - `$work; Sockets = (Get-Socket) - `$sockets; SameFiles = (Get-TempEntry) -eq `$files } | ConvertTo-Json -Compress
"@
        $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension($start.FileName) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $command) { $start.ArgumentList.Add($argument) }
        $start.Environment['TMPDIR'] = $temp
        $start.Environment['TMP'] = $temp
        $start.Environment['TEMP'] = $temp
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($start)
        $output = $child.StandardOutput.ReadToEndAsync()
        $errors = $child.StandardError.ReadToEndAsync()
        $child.WaitForExit(60000) | Should -BeTrue
        $errors.Result | Should -BeNullOrEmpty
        $seen = $output.Result | ConvertFrom-Json
        $seen.Work | Should -Be 0
        $seen.Sockets | Should -Be 0
        $seen.SameFiles | Should -BeTrue
    }

    It 'ships no PowerShell assembly of its own' {
        Get-ChildItem -LiteralPath $module.ModuleBase -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'declares what each cmdlet writes' {
        $expected = @{
            'New-GptImage'            = 'GptImage.Prediction'
            'Edit-GptImage'           = 'GptImage.Prediction'
            'Get-GptImagePrediction'  = 'GptImage.Prediction'
            'Wait-GptImagePrediction' = 'GptImage.Prediction'
            'Save-GptImage'           = 'System.IO.FileInfo'
            'Export-GptImageGallery'  = 'System.IO.FileInfo'
            'ConvertFrom-GptImageWebhook'   = 'GptImage.Prediction'
            'Get-GptImageBalance'           = 'GptImage.GptImageBalance'
            'Get-GptImageWebhookSecret'     = 'System.Security.SecureString', 'System.String'
            'Test-GptImageWebhookSignature' = 'System.Boolean'
            'Connect-GptImage'        = 'GptImage.GptImageConnectionInfo'
            'Disconnect-GptImage'     = 'System.Void'
        }
        foreach ($command in Get-Command -Module GptImage -CommandType Cmdlet) {
            @($command.OutputType.Name) | Should -Be @($expected[$command.Name]) -Because $command.Name
        }
    }

    It 'shows every parameter with a plain type or its values in help' {
        foreach ($command in Get-Command -Module GptImage -CommandType Cmdlet) {
            $syntax = (Get-Help $command.Name).Syntax | Out-String -Width 500
            $syntax | Should -Not -Match 'Nullable|`1' -Because $command.Name
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
                ((Get-Help $command.Name -Parameter $name).Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "$($command.Name) -$name"
            }
        }
        (Get-Help New-GptImage).Syntax | Out-String -Width 1000 | Should -Match '\[-Provider \{WaveSpeed \| AimlApi \| OpenAI \| AzureOpenAI\}\]'
    }

    It 'shows each example as code to run (the code Examples.Tests.ps1 runs), then what it does' {
        $documented = Get-GptImageDocExample
        foreach ($command in Get-Command -Module GptImage -CommandType Cmdlet) {
            $examples = @((Get-Help $command.Name -Examples).Examples.Example)
            $codes = @($documented | Where-Object Name -Like "$($command.Name).md: *" | ForEach-Object { $_.Code -replace '\r\n', "`n" })
            $examples.Count | Should -Be $codes.Count -Because $command.Name
            @($examples | ForEach-Object { ($_.Code | Out-String).Trim() -replace '\r\n', "`n" }) | Should -Be $codes -Because $command.Name
            foreach ($example in $examples) {
                $code = ($example.Code | Out-String).Trim()
                $code | Should -Not -BeNullOrEmpty -Because "$($command.Name): $($example.Title)"
                $code | Should -Not -Match '```' -Because "$($command.Name): $($example.Title)"
                ($example.Remarks | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "$($command.Name): $($example.Title)"
                ($example | Out-String) | Should -Not -Match '[\x80```]' -Because "$($command.Name): $($example.Title)"
            }
        }
    }

    It 'has about_GptImage naming every provider, key variable and ErrorId' {
        $about = Get-Help about_GptImage | Out-String
        foreach ($provider in [enum]::GetNames([GptImage.ProviderKind])) {
            $about | Should -Match "\b$provider\b"
            $about | Should -Match (@{ WaveSpeed = 'WAVESPEED_API_KEY'; AimlApi = 'AIMLAPI_API_KEY'; OpenAI = 'OPENAI_API_KEY' }[$provider])
        }
        foreach ($id in [GptImage.GptImageException]::ErrorIds) { $about | Should -Match ([regex]::Escape($id)) }
    }
}
