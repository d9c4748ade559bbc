# The source of truth for the module manifest. build.ps1 copies it into out/GptImage/<version>/,
# stamping ModuleVersion from Directory.Build.props and ReleaseNotes from CHANGELOG.md.
@{
    RootModule           = if ($PSEdition -eq 'Core') { 'bin/net8.0/GptImage.PowerShell.dll' } else { 'bin/net472/GptImage.PowerShell.dll' }
    ModuleVersion        = '0.0.0'
    CompatiblePSEditions = @('Core', 'Desktop')
    GUID                 = '5b0f5f7e-2f1c-4a53-9c5e-6f0c3d6b8a41'
    Author               = 'GptImage contributors'
    CompanyName          = 'Community'
    Copyright            = '(c) GptImage contributors. MIT License.'
    Description          = 'Generate and edit images with OpenAI GPT Image models through WaveSpeedAI (and OpenAI-style Images APIs such as AIML API): typed predictions on the pipeline, concurrent batches with progress, safe retries and atomic downloads.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    TypesToProcess       = @('GptImage.Types.ps1xml')
    FormatsToProcess     = @('GptImage.Format.ps1xml')
    CmdletsToExport      = @(
        'New-GptImage', 'Edit-GptImage', 'Get-GptImagePrediction', 'Wait-GptImagePrediction',
        'Save-GptImage', 'Connect-GptImage', 'Disconnect-GptImage', 'Export-GptImageGallery', 'Get-GptImageBalance',
        'Get-GptImageWebhookSecret', 'Test-GptImageWebhookSignature', 'ConvertFrom-GptImageWebhook'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('OpenAI', 'GPT-Image', 'WaveSpeed', 'AIMLAPI', 'Image', 'AI', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = ''
        }
    }
}
