#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '', Justification = 'The key is the local emulator key of the test session.')]
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Stand-ins for SecretManagement and Az.Functions that only record what they are given.')]
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseDeclaredVarsMoreThanAssignments', 'examples', Justification = 'Discovery data, read by It -ForEach.')]
param()

<#
Every PowerShell example of docs/cmdlets/*.md and README.md runs here, as written, against the emulator, and
what it visibly does is checked. The convention the examples may rely on:

- They run in a folder of their own holding prompts.txt (two prompts), shots/one.png and shots/two.png, room.png,
  window-mask.png, product.png, logo.png, portrait.png and an empty share/.
- $text is a prompt, $out is ./out, $id is the id of a completed prediction and $batch two completed predictions,
  also exported with Export-Clixml to batch.xml.
- Get-Secret stands in for SecretManagement: it gives the emulator's key whatever the name. Set-Secret,
  Get-AutomationVariable (the webhook secret), Update-AzFunctionAppSetting and Push-OutputBinding stand in for
  their modules and record what they were given in $recorded.
- Webhooks: $Request is a real signed delivery from the emulator as an Azure Function hands it over (Headers,
  RawBody, Body), $WebhookData the same as an Automation webhook does, delivery.json its body, and
  $env:WAVESPEED_WEBHOOK_SECRET the emulator's secret; $env:TEMP is temp/. An example that starts with param() is
  run as a script given those variables.
- Azure OpenAI: https://contoso.openai.azure.com is the emulator's address (AZURE_OPENAI_ENDPOINT names it too);
  IDENTITY_ENDPOINT and IDENTITY_HEADER name the emulator's managed-identity endpoint, as Azure Automation sets them
  for a runbook with a managed identity; Get-AzAccessToken stands in for Az.Accounts with a token of that endpoint.
- Placeholders: http://127.0.0.1:5199 is the emulator's address, \\server\share is share/, and the id
  2a1c9e0b5d8f4e7a9c3b1d6e8f0a2b4c is $id.
- Every endpoint is the emulator's (WAVESPEED_BASE_URL, AIMLAPI_BASE_URL and OPENAI_BASE_URL name it). An example
  that brings its own key (-ApiKey or Connect-GptImage) starts with no key known; any other starts connected, as
  after Connect-GptImage.
- A non-terminating error the example does not handle fails it ($ErrorActionPreference = 'Stop').

Each example has an entry in $checks below: a check run after it in its scope (its variables, $output for what it
wrote, $before for the emulator's statistics before it), optionally a setup that changes the variables, and for an
example whose point is to reach the service with something the emulator does not serve (a model that does not exist
yet), the error the service answers ($failure in the check).
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $examples = @(Get-GptImageDocExample | ForEach-Object { @{ Name = $_.Name; Code = $_.Code } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession -InferenceLatencyMs 50 -NoConnect
    $script:secure = ConvertTo-SecureString $emulator.ApiKey -AsPlainText -Force
    $script:keyVariables = 'WAVESPEED_API_KEY', 'AIMLAPI_API_KEY', 'OPENAI_API_KEY', 'AZURE_OPENAI_API_KEY'
    $script:savedKeys = @{}
    $keyVariables += 'WAVESPEED_WEBHOOK_SECRET', 'TEMP'
    foreach ($keyVariable in $keyVariables) {
        $savedKeys[$keyVariable] = [Environment]::GetEnvironmentVariable($keyVariable)
        [Environment]::SetEnvironmentVariable($keyVariable, $null)
    }

    function Get-Statistic { Get-GptImageEmulatorStatistic -Emulator $emulator }
    $script:endpointVariables = 'WAVESPEED_BASE_URL', 'AIMLAPI_BASE_URL', 'OPENAI_BASE_URL', 'AZURE_OPENAI_ENDPOINT'

    function New-PendingTask {
        # The journal holds one paid task not saved yet: emptied as the docs say (delete the file), then one submit.
        $journal = [Environment]::GetFolderPath('LocalApplicationData', 'DoNotVerify') | Join-Path -ChildPath 'GptImage/journal/tasks.jsonl'
        Remove-Item -LiteralPath $journal -ErrorAction SilentlyContinue
        New-GptImage -Prompt 'left unsaved' -Wait
    }
    $script:pendingCheck = @{
        Setup = { param($variables) $variables.pending = New-PendingTask }
        Check = {
            $output | Should -HaveCount 1
            $output[0].Name | Should -Be "$($pending.Id)-0.png"
            $output[0].DirectoryName | Should -Be (Resolve-Path ./out).ProviderPath
            @(Get-GptImagePrediction -Pending) | Should -HaveCount 0
        }
    }

    # Real signed deliveries from the emulator (a completed and a refused task), in the shapes receivers get them.
    . (Join-Path $PSScriptRoot 'WebhookDelivery.ps1')
    Add-Type -TypeDefinition 'public class HttpResponseContext { public object StatusCode; public object Body; }'
    Connect-GptImage -ApiKey $secure -BaseUri $emulator.BaseUri
    $script:webhookSecret = Get-GptImageWebhookSecret -AsPlainText
    function ConvertTo-Receiver {
        param([Parameter(Mandatory)] $Delivery)
        $table = @{}
        foreach ($header in $Delivery.Headers.AllKeys) { $table[$header.ToLowerInvariant()] = $Delivery.Headers[$header] }
        @{
            Id          = $Delivery.Submitted.Id
            Request     = [pscustomobject]@{ Headers = $table; RawBody = $Delivery.Body; Body = ($Delivery.Body | ConvertFrom-Json -AsHashtable) }
            WebhookData = [pscustomobject]@{ RequestHeader = [pscustomobject]$table; RequestBody = $Delivery.Body; WebhookName = 'images' }
            Body        = $Delivery.Body
        }
    }
    $script:completedDelivery = ConvertTo-Receiver (Receive-TestWebhook -Prompt 'a heron')
    # A task that runs long enough to be answered as submitted (not yet failed) even on a busy machine.
    $script:refusedDelivery = ConvertTo-Receiver (Receive-TestWebhook -Prompt 'refused [emulator:fail=1200;latency=1500]')
    Disconnect-GptImage

    function Open-DeliveringListener {
        # An HttpListener with a delivery on its way, for an example that receives it itself.
        $listener = Open-TestWebhookListener
        $null = New-GptImage -Prompt 'a delivery' -WebhookUri @($listener.Prefixes)[0]
        $listener
    }

    function Assert-NoSession {
        { New-GptImage -Prompt 'x' } | Should -Throw -ErrorId 'GptImage.MissingApiKey,GptImage.Commands.NewGptImageCommand'
    }

    function Assert-Saved {
        # Completed predictions, each with one saved file in the folder named.
        param([Parameter(Mandatory)] [object[]] $Prediction, [Parameter(Mandatory)] [string] $Folder, [int] $Count = 1)
        $Prediction | Should -HaveCount $Count
        foreach ($p in $Prediction) {
            $p.Status | Should -Be 'completed'
            $p.Files | Should -HaveCount 1
            $p.Files[0].DirectoryName | Should -Be (Resolve-Path -LiteralPath $Folder).ProviderPath
            $p.Files[0].Name | Should -Be "$($p.Id)-0.png"
            $p.Files[0].FullName | Should -Exist
        }
    }

    function Assert-Gallery {
        # The page the gallery wrote shows each prediction.
        param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [object[]] $Prediction)
        $Path | Should -Exist
        $page = Get-Content -LiteralPath $Path -Raw
        foreach ($p in $Prediction) { $page | Should -BeLike "*$($p.Id)*" }
    }

    function Invoke-DocExample {
        param([Parameter(Mandatory)] [string] $Code, [Parameter(Mandatory)] [hashtable] $Spec)
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('n')))
        Push-Location -LiteralPath $folder
        try {
            Set-Content -LiteralPath ./prompts.txt -Value 'a red fox', 'a blue whale'
            $shots = New-Item -ItemType Directory -Path ./shots
            foreach ($file in 'one', 'two') { $null = New-TestPng -Path (Join-Path $shots "$file.png") }
            foreach ($file in 'room', 'window-mask', 'product', 'logo', 'portrait', 'shot') { $null = New-TestPng -Path (Join-Path $folder "$file.png") }
            $share = New-Item -ItemType Directory -Path ./share

            Connect-GptImage -ApiKey $secure -BaseUri $emulator.BaseUri
            $variables = @{
                text  = 'A T-Rex on a sun lounger, realistic photo'
                out   = './out'
                id    = (New-GptImage -Prompt 'an earlier task' -Wait).Id
                batch = @('a lighthouse', 'a windmill' | New-GptImage -Wait)
            }
            $variables.batch | Export-Clixml -LiteralPath ./batch.xml
            $variables.Request = $completedDelivery.Request
            $variables.WebhookData = $completedDelivery.WebhookData
            $variables.TriggerMetadata = @{}
            $variables.recorded = [Collections.Generic.List[object]]::new()
            Set-Content -LiteralPath ./delivery.json -Value $completedDelivery.Body -NoNewline
            $env:WAVESPEED_WEBHOOK_SECRET = $webhookSecret
            $env:TEMP = (New-Item -ItemType Directory -Path ./temp).FullName
            if ($Spec.ContainsKey('Setup')) { & $Spec.Setup $variables }

            $Code = $Code.Replace('http://127.0.0.1:5199', $emulator.BaseUri.TrimEnd('/')).Replace('\\server\share', $share.FullName).
                Replace('https://contoso.openai.azure.com', $emulator.BaseUri.TrimEnd('/')).
                Replace('2a1c9e0b5d8f4e7a9c3b1d6e8f0a2b4c', $variables.id)
            # Every endpoint is the emulator's, as a user points one with the endpoint variables (-Provider on one call
            # included); an example that brings its own key starts with no key known.
            foreach ($endpoint in $endpointVariables) { [Environment]::SetEnvironmentVariable($endpoint, $emulator.BaseUri) }
            $env:IDENTITY_ENDPOINT = $emulator.BaseUri + '_identity/token'
            $env:IDENTITY_HEADER = 'emulator-identity-header'
            if ($Code -match '-ApiKey\b|(?<!Dis)Connect-GptImage') { Disconnect-GptImage }
            & {
                param($Code, $Variables, $Spec)
                $ErrorActionPreference = 'Stop'
                $PSDefaultParameterValues = @{ 'Connect-GptImage:BaseUri' = $emulator.BaseUri }
                function Get-Secret { param([Parameter(Mandatory)] [string] $Name) $null = $Name; $secure }
                function Set-Secret { param($Name, [Parameter(ValueFromPipeline)] $Secret) process { $recorded.Add(@{ Name = $Name; Secret = $Secret }) } }
                function Get-AutomationVariable { param($Name) $null = $Name; $webhookSecret }
                function Update-AzFunctionAppSetting { param($Name, $ResourceGroupName, $AppSetting) $recorded.Add(@{ Name = $Name; ResourceGroupName = $ResourceGroupName; AppSetting = $AppSetting }) }
                function Push-OutputBinding { param($Name, $Value) $recorded.Add(@{ Name = $Name; Value = $Value }) }
                function Get-AzAccessToken {
                    param($ResourceUrl, [switch] $AsSecureString)
                    $null = $AsSecureString
                    $uri = "$($env:IDENTITY_ENDPOINT)?resource=$ResourceUrl&api-version=2019-08-01"
                    $answer = Invoke-RestMethod -Uri $uri -Headers @{ 'X-IDENTITY-HEADER' = $env:IDENTITY_HEADER }
                    [pscustomobject]@{ Token = ConvertTo-SecureString $answer.access_token -AsPlainText -Force; ExpiresOn = [DateTimeOffset]::FromUnixTimeSeconds($answer.expires_on) }
                }
                foreach ($variable in $Variables.GetEnumerator()) { Set-Variable -Name $variable.Key -Value $variable.Value }
                # The emulator's statistics before the example, for its check.
                Set-Variable -Name Before -Value (Get-Statistic)
                # What the example writes is $output to its check, which runs in the example's scope.
                $block = [scriptblock]::Create($Code)
                $arguments = @{}
                if ($block.Ast.ParamBlock) {
                    foreach ($parameter in $block.Ast.ParamBlock.Parameters.Name.VariablePath.UserPath) { $arguments[$parameter] = $Variables[$parameter] }
                }
                try { Set-Variable -Name output -Value @(. $block @arguments) }
                catch {
                    if (-not $Spec.ContainsKey('Error')) { throw }
                    Set-Variable -Name failure -Value $_
                    $_.FullyQualifiedErrorId | Should -BeLike "$($Spec.Error),*"
                }
                $ErrorActionPreference = 'Continue'
                . $Spec.Check
            } $Code $variables $Spec
        }
        finally {
            Pop-Location
            foreach ($variable in @('WAVESPEED_WEBHOOK_SECRET', 'TEMP', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER') + $endpointVariables) {
                [Environment]::SetEnvironmentVariable($variable, $null)
            }
            Disconnect-GptImage
        }
    }

    $script:checks = @{
        'Connect-GptImage.md: Example 1'                       = @{ Check = {
                $output | Should -BeNullOrEmpty
                (New-GptImage -Prompt 'later').Status | Should -Be 'created'
            }
        }
        'Connect-GptImage.md: Example 2'                       = @{ Check = {
                # Two tasks in flight at most: a third submit waits locally, looking at the two until one has ended.
                $start = Get-Statistic
                $submitted = 1..3 | ForEach-Object { "task $_ [emulator:latency=300]" } | New-GptImage
                $submitted | Should -HaveCount 3
                (Get-Statistic).submits - $start.submits | Should -Be 3
                (Get-Statistic).resultQueries - $start.resultQueries | Should -BeGreaterThan 0
            }
        }
        'Connect-GptImage.md: Example 4'                       = @{ Check = {
                # Signed by the managed identity: one token for the batch, two images made and saved, no key anywhere.
                $output | Should -HaveCount 2
                $output.Status | Should -Be @('completed', 'completed')
                (Get-ChildItem -LiteralPath $out -File) | Should -HaveCount 2
                (Get-Statistic).identityTokens - $before.identityTokens | Should -Be 1
                (Get-Statistic).imageGenerations - $before.imageGenerations | Should -Be 2
                (Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit')).path | Should -Be '/openai/deployments/images/images/generations'
            }
        }
        'README.md: Providers: Azure OpenAI in a runbook: the managed identity signs, no key' = @{ Check = {
                $output | Should -HaveCount 2
                $output.Status | Should -Be @('completed', 'completed')
                (Get-Statistic).identityTokens - $before.identityTokens | Should -Be 1
                (Get-ChildItem -LiteralPath $out -File) | Should -HaveCount 2
            }
        }
        'Connect-GptImage.md: Example 5'                       = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Provider | Should -Be 'AzureOpenAI'
                $output[0].KeySource | Should -Be 'AccessToken'
                $output[0].ApiVersion | Should -Be '2025-04-01-preview'
                ($output | Out-String) | Should -Not -Match 'emu-mi-'
                (New-GptImage -Prompt 'later').Status | Should -Be 'completed'
            }
        }
        'Connect-GptImage.md: Example 6'                       = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Status | Should -Be 'completed'
                $output[0].Files | Should -HaveCount 1
                (Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit')).path | Should -Be '/openai/deployments/gpt-image-1/images/generations'
            }
        }
        'Connect-GptImage.md: Example 3'                       = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Provider | Should -Be 'WaveSpeed'
                $output[0].BaseUri | Should -Be ([uri]$emulator.BaseUri)
                $output[0].KeySource | Should -Be 'Parameter'
                (New-GptImage -Prompt 'later').Status | Should -Be 'created'
            }
        }
        'Disconnect-GptImage.md: Example 1'                    = @{ Check = { $output | Should -BeNullOrEmpty; Assert-NoSession } }
        'Disconnect-GptImage.md: Example 2'                    = @{ Check = { (New-GptImage -Prompt 'other account').Status | Should -Be 'created' } }
        'Disconnect-GptImage.md: Example 3'                    = @{ Check = { Assert-Saved -Prediction $output -Folder $out; Assert-NoSession } }
        'Edit-GptImage.md: Example 1'                          = @{ Check = {
                $output | Should -HaveCount 2
                foreach ($p in $output) {
                    $p.SourcePath | Should -BeIn (Get-ChildItem ./shots -Filter *.png).FullName
                    $p.Files[0].FullName | Should -Be (Join-Path (Resolve-Path ./edited) ('{0}-{1}-0.png' -f [IO.Path]::GetFileNameWithoutExtension($p.SourcePath), $p.Id))
                }
            }
        }
        'Edit-GptImage.md: Example 2'                          = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Status | Should -Be 'completed'
                $output[0].Files[0].FullName | Should -Be (Join-Path (Get-Location) 'room-sea.png')
                $uploads = (Get-Statistic).uploads + (Get-Statistic).binaryUploads - $Before.uploads - $Before.binaryUploads
                $uploads | Should -Be 1 -Because 'the image and the mask (the same bytes here) are uploaded once'
            }
        }
        'Edit-GptImage.md: Example 3'                          = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Status | Should -Be 'completed'
                $output[0].Model | Should -Be 'gpt-image-1-mini'
                (Get-Statistic).submits - $Before.submits | Should -Be 1
            }
        }
        'Edit-GptImage.md: Example 4'                          = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Status | Should -Be 'completed'
                $output[0].Outputs | Should -HaveCount 1
                (Get-Statistic).uploadPuts + (Get-Statistic).binaryUploads - $Before.uploadPuts - $Before.binaryUploads | Should -Be 0 -Because 'URLs are passed as they are'
            }
        }
        'Edit-GptImage.md: Example 5'                          = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Provider | Should -Be 'OpenAI'
                $output[0].Model | Should -Be 'gpt-image-1.5'
                $output[0].Files[0].FullName | Should -Exist
                (Get-Statistic).imageEdits - $Before.imageEdits | Should -Be 1
            }
        }
        'Edit-GptImage.md: Example 7'                          = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Model | Should -Be 'gpt-image-2'
                $output[0].Files[0].FullName | Should -Exist
                $preview = Join-Path ./out ($output[0].Files[0].BaseName + '.partial-0.png')
                $preview | Should -Exist
            }
        }
        'New-GptImage.md: Example 10'                          = @{ Check = {
                Assert-Saved -Prediction $output -Folder ./out
                $output[0].Model | Should -Be 'gpt-image-2'
                $output[0].Usd | Should -Be 0.06
                $output[0].UsdSource | Should -BeLike '*from $0.060/run*'
            }
        }
        'New-GptImage.md: Example 11'                          = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Provider | Should -Be 'OpenAI'
                $output[0].Files[0].FullName | Should -Be (Join-Path (Get-Location) 'lighthouse.png')
                './lighthouse.partial-0.png' | Should -Exist
                './lighthouse.partial-1.png' | Should -Exist
                $output[0].UsdSource | Should -BeLike 'estimate:*tokens*'
            }
        }
        'Export-GptImageGallery.md: Example 1'                 = @{ Check = { $output | Should -BeNullOrEmpty; Assert-Saved -Prediction $batch -Folder ./out -Count 2; Assert-Gallery -Path ./out/review.html -Prediction $batch } }
        'Export-GptImageGallery.md: Example 2'                 = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].FullName | Should -Be (Join-Path (Get-Location) 'review.html')
                Assert-Gallery -Path ./review.html -Prediction $batch
                Get-Content -LiteralPath ./review.html -Raw | Should -BeLike '*Product shots, week 48*'
            }
        }
        'Export-GptImageGallery.md: Example 3'                 = @{
            Setup = { Add-Content -LiteralPath ./prompts.txt -Value 'refused [emulator:fail=1200]' }
            Check = {
                $done | Should -HaveCount 2
                $failed | Should -HaveCount 1
                Assert-Gallery -Path ./out/review.html -Prediction (@($done) + $failed[0].TargetObject)
            }
        }
        'ConvertFrom-GptImageWebhook.md: Example 1'            = @{ Check = { $output.Name | Should -Be "$($completedDelivery.Id)-0.png"; $output.DirectoryName | Should -Be (Resolve-Path ./received).ProviderPath } }
        'ConvertFrom-GptImageWebhook.md: Example 2'            = @{ Check = { $output.Id | Should -Be $completedDelivery.Id; $output.Status | Should -Be 'completed' } }
        'ConvertFrom-GptImageWebhook.md: Example 3'            = @{
            Setup = { param($variables) $variables.WebhookData = $refusedDelivery.WebhookData }
            Check = { $output | Should -HaveCount 1; $output[0].Id | Should -Be $refusedDelivery.Id; $output[0].ErrorCode | Should -Be 1200 }
        }
        'Edit-GptImage.md: Example 6'                          = @{
            Error = 'GptImage.NotFound'
            Check = { $failure.Exception.Message | Should -BeLike '*model not found: openai/gpt-image-3/edit*'; (Get-Statistic).uploads - $Before.uploads | Should -Be 1 }
        }
        'Get-GptImageBalance.md: Example 1'                    = @{ Check = { $output | Should -HaveCount 1; $output[0].Balance | Should -BeLessThan 1000 -Because 'every task so far was paid from 1000 USD' } }
        'Get-GptImageBalance.md: Example 2'                    = @{ Check = { $balance | Should -BeGreaterThan 5; $output | Should -HaveCount 2; $output.Status | Should -Be @('created', 'created') } }
        'Get-GptImageBalance.md: Example 3'                    = @{ Check = { $batch | Should -HaveCount 2; [math]::Round($output[0], 6) | Should -Be 0.084; $output[1].Balance | Should -BeLessThan 1000 } }
        'Get-GptImagePrediction.md: Example 4'                 = @{ Check = { $output | Should -BeNullOrEmpty -Because 'every task of the emulator was made today' } }
        'Get-GptImagePrediction.md: Example 6'                 = $pendingCheck
        'README.md: Providers: after Ctrl+C, a crash or a reboot: save what was paid for' = $pendingCheck
        'Get-GptImagePrediction.md: Example 5'                 = @{ Check = { $table = $output | Out-String -Width 200; foreach ($known in @($batch.Id) + $id) { $table | Should -BeLike "*$known*" } } }
        'Get-GptImageWebhookSecret.md: Example 1'              = @{ Check = { $recorded | Should -HaveCount 1; $recorded[0].Name | Should -Be 'GptImageWebhook'; ($recorded[0].Secret | ConvertFrom-SecureString -AsPlainText) | Should -Be $webhookSecret } }
        'Get-GptImageWebhookSecret.md: Example 2'              = @{ Check = { $recorded | Should -HaveCount 1; $recorded[0].AppSetting.WAVESPEED_WEBHOOK_SECRET | Should -Be $webhookSecret } }
        'Get-GptImageWebhookSecret.md: Example 3'              = @{ Check = { $output | Should -Be @($true) } }
        'New-GptImage.md: Example 7'                           = @{ Check = { $output | Should -HaveCount 2; $output.Status | Should -Be @('created', 'created') } }
        'New-GptImage.md: Example 9'                           = @{ Check = {
                Assert-Saved -Prediction $output -Folder ./out -Count 2
                $output | Sort-Object Prompt | ForEach-Object { "$($_.Size)/$($_.Quality)" } | Should -Be '1536x1024/high', '1024x1024/low'
            }
        }
        'New-GptImage.md: Example 8'                           = @{
            Error = 'GptImage.NotFound'
            Check = {
                @(Get-ChildItem ./out -Filter *.png) | Should -HaveCount 1 -Because 'the base64 output was saved'
                $failure.Exception.Message | Should -BeLike '*model not found: openai/gpt-image-3/text-to-image*'
            }
        }
        'Test-GptImageWebhookSignature.md: Example 1'          = @{ Check = { $recorded | Should -BeNullOrEmpty -Because 'no 401 was pushed'; $output.Name | Should -Be "$($completedDelivery.Id)-0.png"; $output.DirectoryName | Should -Be $env:TEMP } }
        'Test-GptImageWebhookSignature.md: Example 2'          = @{ Check = { $output.Id | Should -Be $completedDelivery.Id; $output.Status | Should -Be 'completed' } }
        'Test-GptImageWebhookSignature.md: Example 3'          = @{
            Setup = { param($variables) $variables.listener = Open-DeliveringListener }
            Check = { $context.Response.Close(); $listener.Close(); $output | Should -Be @($true) }
        }
        'Test-GptImageWebhookSignature.md: Example 4'          = @{ Check = { $output | Should -Be @($true, $false); $seen | Should -Be @($completedDelivery.Request.Headers['webhook-id']) } }
        'about_GptImage.md: Example 4'                         = @{ Check = { $batch.Status | Should -Be @('completed', 'completed'); [math]::Round($output[0], 6) | Should -Be 0.084 } }
        'about_GptImage.md: Example 5'                         = @{ Check = { $output | Should -BeNullOrEmpty -Because 'every task of the emulator was made today' } }
        'about_GptImage.md: Example 6'                         = @{ Check = { $output | Should -Be @($true) } }
        'README.md: Quick examples: what did it cost, and what is left? (every prediction carries Usd, on every provider)' = @{ Check = { [math]::Round($output[0], 6) | Should -Be 0.084; $output[1].Balance | Should -BeLessThan 1000 } }
        'README.md: Quick examples: a runbook collects yesterday''s results from the history' = @{ Check = { $output | Should -BeNullOrEmpty -Because 'every task of the emulator was made today' } }
        'README.md: Providers: an Azure Function (HTTP trigger, PowerShell)' = @{ Check = { $recorded | Should -BeNullOrEmpty -Because 'no 401 was pushed'; $output.Name | Should -Be "$($completedDelivery.Id)-0.png" } }
        'Get-GptImagePrediction.md: Example 1'                 = @{ Check = { $output.Id | Should -Be $id; $output.Status | Should -Be 'completed' } }
        'Get-GptImagePrediction.md: Example 2'                 = @{ Check = {
                $table = $output | Out-String -Width 200
                foreach ($p in $batch) { $table | Should -BeLike "*$($p.Id)*" }
                (Get-Statistic).resultQueries - $Before.resultQueries | Should -Be 2
            }
        }
        'Get-GptImagePrediction.md: Example 3'                 = @{ Check = { Assert-Saved -Prediction $output -Folder ./out; $output.Id | Should -Be $id } }
        'New-GptImage.md: Example 1'                           = @{ Check = { Assert-Saved -Prediction $output -Folder ./out } }
        'New-GptImage.md: Example 2'                           = @{ Check = { Assert-Saved -Prediction $output -Folder ./out -Count 2 } }
        'New-GptImage.md: Example 3'                           = @{ Check = { $output | Should -BeNullOrEmpty; (Get-Statistic).submitRequests | Should -Be $Before.submitRequests } }
        'New-GptImage.md: Example 4'                           = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Provider | Should -Be 'AimlApi'
                $output[0].Files[0].FullName | Should -Be (Join-Path (Get-Location) 'logo.webp')
                $output[0].Usage.Usd | Should -Be 0.042
            }
        }
        'New-GptImage.md: Example 5'                           = @{ Check = { $output | Should -HaveCount 1; $output[0].Id | Should -Be $p.Id; $output[0].Status | Should -Be 'completed' } }
        'New-GptImage.md: Example 6'                           = @{ Check = { $batch | Should -HaveCount 3; $output | Should -HaveCount 1; [math]::Round($output[0], 6) | Should -Be 0.126 } }
        'Save-GptImage.md: Example 1'                          = @{ Check = {
                $output | Should -BeNullOrEmpty
                $saved = @(Get-ChildItem ./out -Filter *.png)
                $saved | Should -HaveCount 1
                (Get-ChildItem ./share).Name | Should -Be $saved.Name
            }
        }
        'Save-GptImage.md: Example 2'                          = @{ Check = {
                $output | Should -HaveCount 2
                foreach ($p in $batch) { $output.Name | Should -Contain ('gpt-image-1-{0:yyyyMMdd-HHmmss}-{1}-0.png' -f $p.CreatedAt.ToUniversalTime(), $p.Id) }
                $output.DirectoryName | Should -Be (@((Resolve-Path ./gallery).ProviderPath) * 2)
            }
        }
        'Save-GptImage.md: Example 3'                          = @{
            Setup = { Set-Content -LiteralPath ./poster.png -Value 'an older poster' }
            Check = {
                $output.FullName | Should -Be (Join-Path (Get-Location) 'poster.png')
                [IO.File]::ReadAllBytes($output.FullName)[1..3] | Should -Be ([Text.Encoding]::ASCII.GetBytes('PNG'))
            }
        }
        'Save-GptImage.md: Example 4'                          = @{ Check = {
                $output | Should -HaveCount 2
                foreach ($file in $output) { $file.PSPath | Should -Be (Get-Item -LiteralPath $file.FullName).PSPath }
                $output.DirectoryName | Should -Be (@((Resolve-Path ./out).ProviderPath) * 2)
            }
        }
        'Wait-GptImagePrediction.md: Example 1'                = @{ Check = { Assert-Saved -Prediction $output -Folder ./out -Count 2 } }
        'Wait-GptImagePrediction.md: Example 2'                = @{
            Setup = { param($variables) $variables.batch += New-GptImage -Prompt 'refused [emulator:fail=1200]' }
            Check = {
                $done | Should -HaveCount 2
                $failed | Should -HaveCount 1
                $output | Should -HaveCount 1
                $output[0].Id | Should -Be $batch[2].Id
                $output[0].ErrorCode | Should -Be 1200
            }
        }
        'Wait-GptImagePrediction.md: Example 3'                = @{ Check = { $output.Id | Should -Be $id; $output.Status | Should -Be 'completed' } }
        'about_GptImage.md: Example 1'                         = @{ Check = { Assert-Saved -Prediction $output -Folder ./out } }
        'about_GptImage.md: Example 2'                         = @{ Check = { Assert-Saved -Prediction $output -Folder ./out -Count 2 } }
        'about_GptImage.md: Example 3'                         = @{ Check = { $output | Should -HaveCount 2; $output.Status | Should -Be @('completed', 'completed'); @(Get-ChildItem ./edited) | Should -HaveCount 2 } }
        'README.md: Quick examples: one image, saved, object on the pipeline' = @{ Check = { Assert-Saved -Prediction $output -Folder ./out } }
        'README.md: Quick examples: a batch: submit everything first, then wait concurrently, with one progress bar' = @{ Check = { Assert-Saved -Prediction $output -Folder ./out -Count 2 } }
        'README.md: Quick examples: edit every PNG in a folder; each output keeps a link to its source file' = @{ Check = {
                $output | Should -HaveCount 2
                ($output.SourcePath | Sort-Object) | Should -Be @((Get-ChildItem ./shots -Filter *.png).FullName | Sort-Object)
            }
        }
        'README.md: Quick examples: runbook style: key from SecretManagement, submit now, collect later' = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Id | Should -Be $p.Id
                $output[0].Status | Should -Be 'completed'
            }
        }
        'README.md: Quick examples: what would it cost? nothing is sent' = @{ Check = { $output | Should -BeNullOrEmpty; (Get-Statistic).submitRequests | Should -Be $Before.submitRequests } }
        'README.md: Quick examples: saved files as FileInfo, for the rest of the pipeline' = @{ Check = {
                $names = @(Get-ChildItem ./out -Filter *.png).Name | Sort-Object
                $names | Should -Be (@($batch | ForEach-Object { "$($_.Id)-0.png" }) | Sort-Object)
                (Get-ChildItem ./share).Name | Sort-Object | Should -Be $names
            }
        }
        'README.md: Quick examples: review the batch in a browser: one self-contained HTML page with thumbnails, prompts, costs and failures' = @{ Check = {
                Assert-Gallery -Path ./out/review.html -Prediction $batch
            }
        }
        'README.md: Providers: AIML API: synchronous answers, the service''s USD on every prediction' = @{ Check = {
                Assert-Saved -Prediction $batch -Folder ./out -Count 2
                $output | Should -HaveCount 1
                [math]::Round($output[0], 6) | Should -Be 0.084
            }
        }
        'README.md: Providers: OpenAI for one call: transparent webp, format taken from the file name' = @{ Check = {
                $output | Should -HaveCount 1
                $output[0].Provider | Should -Be 'OpenAI'
                $output[0].Files[0].FullName | Should -Be (Join-Path (Get-Location) 'logo.webp')
            }
        }
    }
}

AfterAll {
    foreach ($keyVariable in $keyVariables) { [Environment]::SetEnvironmentVariable($keyVariable, $savedKeys[$keyVariable]) }
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Documentation examples' {
    It '<Name>' -ForEach $examples {
        $checks.ContainsKey($Name) | Should -BeTrue -Because "every example has a check in Examples.Tests.ps1 ($Name)"
        Invoke-DocExample -Code $Code -Spec $checks[$Name]
    }

    It 'has no check for an example that is gone' {
        $names = @(Get-GptImageDocExample).Name
        $checks.Keys | Where-Object { $_ -notin $names } | Should -BeNullOrEmpty
    }
}
