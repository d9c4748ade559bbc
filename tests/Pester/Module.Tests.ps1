#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifestPath = Get-GptImageModulePath
    $script:module = Import-Module $manifestPath -Force -PassThru
}

Describe 'The GptImage module' {
    It 'has a valid manifest for both editions' {
        $manifest = Test-ModuleManifest -Path $manifestPath
        $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
        $manifest.Version | Should -BeGreaterThan ([version]'0.0.0')
    }

    It 'exports exactly its cmdlets' {
        $module.ExportedCmdlets.Keys | Sort-Object | Should -Be @(
            'Connect-GptImage', 'ConvertFrom-GptImageWebhook', 'Disconnect-GptImage', 'Edit-GptImage', 'Export-GptImageGallery',
            'Get-GptImageBalance', 'Get-GptImagePrediction', 'Get-GptImageWebhookSecret', 'New-GptImage', 'Save-GptImage',
            'Test-GptImageWebhookSignature', 'Wait-GptImagePrediction')
        $module.ExportedFunctions.Keys | Should -BeNullOrEmpty
    }

    It 'ships no PowerShell assembly of its own' {
        Get-ChildItem -LiteralPath $module.ModuleBase -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'declares OutputType on every cmdlet' {
        foreach ($command in Get-Command -Module GptImage -CommandType Cmdlet) {
            if ($command.Name -ne 'Disconnect-GptImage') { $command.OutputType | Should -Not -BeNullOrEmpty -Because $command.Name }
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
        (Get-Help New-GptImage).Syntax | Out-String -Width 1000 | Should -Match '\[-Provider \{WaveSpeed \| AimlApi \| OpenAI\}\]'
    }

    It 'shows each example as code to run, then what it does' {
        foreach ($command in Get-Command -Module GptImage -CommandType Cmdlet) {
            foreach ($example in (Get-Help $command.Name -Examples).Examples.Example) {
                $code = ($example.Code | Out-String).Trim()
                $code | Should -Not -BeNullOrEmpty -Because "$($command.Name): $($example.Title)"
                $code | Should -Not -Match '```' -Because "$($command.Name): $($example.Title)"
                ($example.Remarks | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "$($command.Name): $($example.Title)"
                ($example | Out-String) | Should -Not -Match '[\x80```]' -Because "$($command.Name): $($example.Title)"
            }
        }
    }

    It 'has about_GptImage' {
        Get-Help about_GptImage | Out-String | Should -BeLike '*GptImage*'
    }
}
