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
            'Connect-GptImage', 'Disconnect-GptImage', 'Edit-GptImage', 'Get-GptImagePrediction',
            'New-GptImage', 'Save-GptImage', 'Wait-GptImagePrediction')
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

    It 'has about_GptImage' {
        Get-Help about_GptImage | Out-String | Should -BeLike '*GptImage*'
    }
}
