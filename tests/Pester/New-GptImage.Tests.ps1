#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '', Justification = 'The key is the local emulator key of the test session.')]
param()

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:emulator = Start-GptImageTestSession
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'New-GptImage' {
    It 'generates one image, saves it and writes the finished prediction (DESIGN example 1)' {
        $out = Join-Path $TestDrive 'one'
        $p = New-GptImage -Prompt 'A T-Rex on a sun lounger, realistic photo' -OutputDirectory $out -Wait
        $p | Should -BeOfType GptImage.Prediction
        $p.Status | Should -Be 'completed'
        $p.Files | Should -HaveCount 1
        $p.Files[0] | Should -BeOfType System.IO.FileInfo
        $p.Files[0].FullName | Should -Exist
        $p.Files[0].DirectoryName | Should -Be (Get-Item -LiteralPath $out).FullName
    }

    It 'writes each request body to the debug stream with -Debug, the key elided and a long prompt cut' {
        $prompt = 'a fox ' + $emulator.ApiKey + ' ' + ('very long ' * 60)
        $records = @(New-GptImage -Prompt $prompt -Quality low -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        $records | Should -HaveCount 1
        $records[0].Message | Should -BeLike 'POST */api/v3/openai/gpt-image-1/text-to-image body: {"prompt":"a fox *** very long*? (* characters)"*"quality":"low"*'
        $records[0].Message | Should -Not -BeLike "*$($emulator.ApiKey)*"
        @(New-GptImage -Prompt 'quiet' 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }) | Should -BeNullOrEmpty
    }

    It 'lists the fields and files of a multipart edit on -Debug, never the bytes' {
        $shot = New-TestPng -Path (Join-Path $TestDrive 'debug-shot.png')
        Connect-GptImage -Provider OpenAI -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        try {
            $records = @(Edit-GptImage -Path $shot -Prompt 'pastel' -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        }
        finally { Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri }
        $records | Should -HaveCount 1
        $records[0].Message | Should -BeLike "*body: multipart/form-data: model=gpt-image-1; prompt=pastel;*image: file 'debug-shot.png', $($shot.Length) bytes, image/png*"
    }

    It 'writes one submitted prediction per piped prompt without waiting' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $predictions = 'a red fox', 'a blue whale', 'a green parrot' | New-GptImage -Quality low
        $predictions | Should -HaveCount 3
        ($predictions.Prompt | Sort-Object) | Should -Be @('a blue whale', 'a green parrot', 'a red fox')
        $predictions | ForEach-Object { $_.Status | Should -BeIn 'created', 'processing' }
        $after = Get-GptImageEmulatorStatistic -Emulator $emulator
        $after.submits - $before.submits | Should -Be 3
    }

    It 'binds objects with a Prompt property' {
        $predictions = [pscustomobject]@{ Prompt = 'a lighthouse' }, [pscustomobject]@{ Prompt = 'a windmill' } | New-GptImage
        ($predictions.Prompt | Sort-Object) | Should -Be @('a lighthouse', 'a windmill')
    }

    It 'binds hashtables with a Prompt key' {
        $p = @{ Prompt = 'a lighthouse at dusk' } | New-GptImage
        $p.Prompt | Should -Be 'a lighthouse at dusk'
    }

    It 'refuses a piped object that is not a prompt before submitting anything, and goes on with the rest' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $file = New-TestPng -Path (Join-Path $TestDrive 'ok.png')
        $p = $file, @{ Other = 'x' }, 'a real prompt' | New-GptImage -ErrorVariable problems -ErrorAction SilentlyContinue
        $p.Prompt | Should -Be 'a real prompt'
        $problems | Should -HaveCount 2
        $problems | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -Be 'ParameterArgumentTransformationError,GptImage.Commands.NewGptImageCommand'
            $_.Exception.Message | Should -BeLike '*is not a prompt*'
        }
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submitRequests - $before.submitRequests | Should -Be 1
    }

    It 'refuses an existing -OutFile without -Force before submitting' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $file = New-TestPng -Path (Join-Path $TestDrive 'taken.png')
        { New-GptImage -Prompt 'x' -OutFile $file.FullName } |
            Should -Throw -ErrorId 'GptImage.FileExists,GptImage.Commands.NewGptImageCommand'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submitRequests | Should -Be $before.submitRequests
    }

    It 'never sends a request to a loopback http base URI through HTTP_PROXY' {
        # In a child process: HTTP_PROXY is read once per process. The proxy named does not exist.
        $command = "Import-Module '$(Get-GptImageModulePath)'; Connect-GptImage -ApiKey '$($emulator.ApiKey)' -BaseUri '$($emulator.BaseUri)'; " +
            "(New-GptImage -Prompt 'no proxy' -ErrorAction Stop).Prompt"
        $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        # PowerShell as a .NET tool runs in the dotnet host: the child then needs pwsh.dll named.
        if ([IO.Path]::GetFileNameWithoutExtension($start.FileName) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $command) { $start.ArgumentList.Add($argument) }
        $start.Environment['HTTP_PROXY'] = 'http://127.0.0.1:9'
        $start.Environment['http_proxy'] = 'http://127.0.0.1:9'
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($start)
        $output = $child.StandardOutput.ReadToEndAsync()
        $errors = $child.StandardError.ReadToEndAsync()
        $child.WaitForExit(60000) | Should -BeTrue
        $errors.Result | Should -BeNullOrEmpty
        $output.Result.Trim() | Should -Be 'no proxy'
    }

    It 'refuses an -OutputDirectory that is a file, or below a file, before submitting' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $file = Join-Path $TestDrive 'a-file'
        Set-Content -LiteralPath $file -Value 'x'
        { New-GptImage -Prompt 'x' -OutputDirectory $file } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
        { New-GptImage -Prompt 'x' -OutputDirectory (Join-Path $file 'out') } |
            Should -Throw -ErrorId 'GptImage.DestinationNotWritable,GptImage.Commands.NewGptImageCommand'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submitRequests | Should -Be $before.submitRequests
    }

    It 'takes one input with -OutFile and refuses the next before submitting it' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $file = Join-Path $TestDrive 'single.png'
        $p = 'first', 'second' | New-GptImage -OutFile $file -ErrorVariable problems -ErrorAction SilentlyContinue
        $p | Should -HaveCount 1
        $p.Files[0].FullName | Should -Be $file
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.InvalidParameter,*'
        $problems[0].TargetObject | Should -Be 'second'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submitRequests - $before.submitRequests | Should -Be 1
    }

    It 'refuses an -OutFile named for another format than the answer, before submitting' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        { New-GptImage -Prompt 'x' -OutFile (Join-Path $TestDrive 'cat.jpg') } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submitRequests | Should -Be $before.submitRequests
        Join-Path $TestDrive 'cat.jpg' | Should -Not -Exist
    }

    It 'refuses a template with an unknown placeholder, and one without {id} for a second prompt' {
        $out = Join-Path $TestDrive 'templates'
        { New-GptImage -Prompt 'x' -OutputDirectory $out -FileNameTemplate '{id}-{nmae}' } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $p = 'first', 'second' | New-GptImage -OutputDirectory $out -FileNameTemplate 'poster-{INDEX}' -ErrorVariable problems -ErrorAction SilentlyContinue
        $p.Files.Name | Should -Be 'poster-0.png'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.InvalidParameter,*'
        $problems[0].TargetObject | Should -Be 'second'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submitRequests - $before.submitRequests | Should -Be 1
    }

    It 'stops promptly when stopped mid-download (Ctrl+C) and leaves no partial file' {
        $out = Join-Path $TestDrive 'stopped'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Module, $BaseUri, $ApiKey, $Out)
                    Import-Module $Module -ErrorAction Stop
                    Connect-GptImage -ApiKey $ApiKey -BaseUri $BaseUri
                    New-GptImage -Prompt 'slow download [emulator:output=trickle]' -OutputDirectory $Out
                }).AddParameters(@{ Module = (Get-GptImageModulePath); BaseUri = $emulator.BaseUri; ApiKey = $emulator.ApiKey; Out = $out })
            $null = $ps.BeginInvoke()
            # Poll, with a deadline, until the download has begun: its hidden temporary file exists.
            $deadline = [System.Diagnostics.Stopwatch]::StartNew()
            while (-not (Get-ChildItem -LiteralPath $out -Force -ErrorAction Ignore) -and $deadline.Elapsed.TotalSeconds -lt 30) {
                Start-Sleep -Milliseconds 20
            }
            Get-ChildItem -LiteralPath $out -Force | Should -Not -BeNullOrEmpty -Because 'the download has begun'
            $stopping = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stopping.Elapsed.TotalSeconds | Should -BeLessThan 2
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            Get-ChildItem -LiteralPath $out -Force | Should -BeNullOrEmpty
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'sends nothing with -WhatIf' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        $result = 'one', 'two' | New-GptImage -Size 1536x1024 -Quality high -WhatIf
        $result | Should -BeNullOrEmpty
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submitRequests | Should -Be $before.submitRequests
    }

    It 'refuses a size the model does not take before sending anything' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        { New-GptImage -Prompt 'x' -Size 512x512 -ErrorAction Stop } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submitRequests | Should -Be $before.submitRequests
    }

    It 'reports a failed task as a non-terminating error whose target is the prediction' {
        $ok = 'fine', 'blocked [emulator:fail=1200]', 'also fine' |
            New-GptImage -Wait -ErrorVariable failures -ErrorAction SilentlyContinue
        $ok | Should -HaveCount 2
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.ContentModerated,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $failures[0].TargetObject | Should -BeOfType GptImage.Prediction
        $failures[0].TargetObject.ErrorCode | Should -Be 1200
    }

    It 'stops at the first failure with -ErrorAction Stop' {
        { New-GptImage -Prompt 'blocked [emulator:fail=1200]' -Wait -ErrorAction Stop } |
            Should -Throw -ErrorId 'GptImage.ContentModerated,GptImage.Commands.NewGptImageCommand'
    }

    It 'warns about NSFW outputs and sets the property' {
        $p = New-GptImage -Prompt 'x [emulator:nsfw]' -Wait -WarningVariable warnings -WarningAction SilentlyContinue
        $p.HasNsfwContents | Should -BeTrue
        $warnings | Should -HaveCount 1
        "$warnings" | Should -BeLike '*NSFW*'
    }

    It 'tells each request in -Verbose without the key' {
        $verbose = New-GptImage -Prompt 'x' -Wait -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($verbose.Message | Where-Object { $_ -like 'POST http://127.0.0.1:*/api/v3/openai/gpt-image-1/text-to-image -> 200 OK in * ms' }).Count | Should -Be 1
        @($verbose.Message | Where-Object { $_ -like 'GET http://127.0.0.1:*/result -> 200 OK in * ms' }).Count | Should -BeGreaterOrEqual 1
        $verbose.Message -join "`n" | Should -Not -BeLike "*$($emulator.ApiKey)*"
    }

    It 'stops with GptImage.MissingApiKey when no key is known' {
        Disconnect-GptImage
        $saved = $env:WAVESPEED_API_KEY
        try {
            $env:WAVESPEED_API_KEY = $null
            { New-GptImage -Prompt 'x' } | Should -Throw -ErrorId 'GptImage.MissingApiKey,GptImage.Commands.NewGptImageCommand'
        }
        finally {
            $env:WAVESPEED_API_KEY = $saved
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        }
    }

    It 'takes the key as a SecureString for one call (runbook style, DESIGN example 4)' {
        Disconnect-GptImage
        try {
            $secure = ConvertTo-SecureString $emulator.ApiKey -AsPlainText -Force
            Connect-GptImage -ApiKey $secure -BaseUri $emulator.BaseUri
            $p = New-GptImage -Prompt 'collect later' -ApiKey $secure
            $done = Get-GptImagePrediction -Id $p.Id | Wait-GptImagePrediction -TimeoutSec 300
            $done.Id | Should -Be $p.Id
            $done.Status | Should -Be 'completed'
        }
        finally {
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        }
    }

    It 'completes models, and sizes for the chosen model' {
        $line = 'New-GptImage -Model gpt-image-1'
        $models = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $models | Should -Contain 'gpt-image-1.5'
        $models | Should -Contain 'gpt-image-1-mini'
        $line = 'New-GptImage -Model gpt-image-1 -Size 15'
        $sizes = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $sizes | Should -Be @('1536x1024')
    }

    It 'has its synopsis in help' {
        (Get-Help New-GptImage).Synopsis | Should -Be 'Generates images from text prompts.'
    }
}

Describe 'New-GptImage: the wire, base64, webhooks and forward compatibility' {
    BeforeAll {
        function Get-LastSubmit { Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit') }
    }

    It 'sends WaveSpeed sizes as W*H whichever spelling is given' -ForEach '1024x1536', '1024*1536' {
        $null = New-GptImage -Prompt 'x' -Size $_
        (Get-LastSubmit).body.size | Should -BeExactly '1024*1536'
    }

    It 'asks for base64 outputs with -Base64Output and saves them as they arrive' {
        $p = New-GptImage -Prompt 'x' -Base64Output -OutputDirectory (Join-Path $TestDrive 'b64')
        (Get-LastSubmit).body.enable_base64_output | Should -BeTrue
        $p.Base64Output | Should -BeTrue
        $p.Files | Should -HaveCount 1
        $p.Files[0].FullName | Should -Exist
    }

    It 'shows base64 outputs waited on without a destination, and says where they are kept' {
        $p = New-GptImage -Prompt 'x' -Base64Output -Wait -WarningVariable kept -WarningAction SilentlyContinue
        $p.Base64Images | Should -Be 1
        $p.Files | Should -BeNullOrEmpty
        ($p | Format-Table | Out-String) | Should -Match '1 base64'
        $kept | Should -HaveCount 1
        "$kept" | Should -Match "Get-GptImagePrediction -Id $($p.Id) \| Save-GptImage"
        $files = Get-GptImagePrediction -Id $p.Id | Save-GptImage -OutputDirectory (Join-Path $TestDrive 'b64-later')
        $files | Should -HaveCount 1
    }

    It 'refuses -ResponseFormat on WaveSpeed and -Base64Output with -WebhookUri, before sending' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        { New-GptImage -Prompt 'x' -ResponseFormat b64_json } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*-Base64Output*'
        { New-GptImage -Prompt 'x' -Base64Output -WebhookUri https://hook.example/ } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
        { New-GptImage -Prompt 'x' -WebhookUri http://hook.example/ } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*https*'
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submitRequests | Should -Be $before.submitRequests
    }

    It 'sends -WebhookUri as the webhook query parameter' {
        $null = New-GptImage -Prompt 'x' -WebhookUri 'https://hooks.example.net/received?from=test'
        (Get-LastSubmit).query.webhook | Should -Be 'https://hooks.example.net/received?from=test'
    }

    It 'sends an unknown model id as given, with a warning' {
        New-GptImage -Prompt 'x' -Model 'openai/gpt-image-3/text-to-image' -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable problems -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        "$warnings" | Should -BeLike "*openai/gpt-image-3/text-to-image*sent as given*"
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GptImage.NotFound,*'
        $problems[0].Exception.Message | Should -BeLike '*model not found: openai/gpt-image-3/text-to-image*'
    }

    It 'adds -AdditionalParameter fields to the body with their types, and refuses a field it sets itself' {
        $null = New-GptImage -Prompt 'x [emulator:extra-fields]' -AdditionalParameter @{ seed = 42; watermark = $false; tags = 'a', 'b' }
        $body = (Get-LastSubmit).body
        $body.seed | Should -Be 42
        $body.seed | Should -BeOfType [long]
        $body.watermark | Should -BeFalse
        $body.tags | Should -Be @('a', 'b')
        { New-GptImage -Prompt 'x' -AdditionalParameter @{ size = '1024*1024' } } |
            Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*-AdditionalParameter*'
    }

    It 'prices each task in the ShouldProcess text (what -WhatIf shows) and sends nothing with -WhatIf' {
        $before = Get-GptImageEmulatorStatistic -Emulator $emulator
        New-GptImage -Prompt 'x' -Size 1536x1024 -Quality high -Base64Output -WhatIf | Should -BeNullOrEmpty
        (Get-GptImageEmulatorStatistic -Emulator $emulator).submitRequests | Should -Be $before.submitRequests
        $verbose = New-GptImage -Prompt 'x' -Size 1536x1024 -Quality high -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -BeLike '*Submit a paid image task (gpt-image-1, size 1536x1024, quality high, $0.250 per image)*'
    }

    It 'shows the submitting and the waiting bar of New | Wait each with its own activity and title' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Module, $BaseUri, $ApiKey)
                    Import-Module $Module
                    Connect-GptImage -ApiKey $ApiKey -BaseUri $BaseUri
                    'a', 'b' | New-GptImage -Quality low | Wait-GptImagePrediction
                }).AddParameters(@{ Module = (Get-GptImageModulePath); BaseUri = $emulator.BaseUri; ApiKey = $emulator.ApiKey })
            $done = $ps.Invoke()
            $done | Should -HaveCount 2
            $records = @($ps.Streams.Progress)
            $activities = $records | Group-Object -Property ActivityId
            $activities | Should -HaveCount 2
            foreach ($activity in $activities) {
                @($activity.Group.Activity | Sort-Object -Unique) | Should -HaveCount 1
                $activity.Group[-1].RecordType | Should -Be 'Completed'
            }
            ($records | Where-Object Activity -eq 'Waiting for predictions') | Should -Not -BeNullOrEmpty
            ($records | Where-Object Activity -eq 'Submitting image tasks') | Should -Not -BeNullOrEmpty
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'completes -ResponseFormat' {
        $line = 'New-GptImage -ResponseFormat '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Sort-Object | Should -Be @('b64_json', 'url')
    }
}

Describe 'New-GptImage on the Images API: -ResponseFormat on <_>' -ForEach 'AimlApi', 'OpenAI' {
    BeforeAll {
        Connect-GptImage -Provider $_ -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        $script:provider = $_
    }

    AfterAll {
        Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
    }

    It 'answers b64_json when asked, decoded to a file' {
        $p = New-GptImage -Prompt 'x' -ResponseFormat b64_json -OutputDirectory (Join-Path $TestDrive "b64-$provider")
        $p.Base64Output | Should -BeTrue
        $p.Files[0].FullName | Should -Exist
        $body = (Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit')).body
        if ($provider -eq 'AimlApi') { $body.response_format | Should -Be 'b64_json' } else { $body.PSObject.Properties.Name | Should -Not -Contain 'response_format' }
    }

    It 'takes url on AIML API and refuses it on OpenAI naming why' {
        if ($provider -eq 'AimlApi') {
            (New-GptImage -Prompt 'x' -ResponseFormat url).Outputs[0].Scheme | Should -Be 'http'
        }
        else {
            { New-GptImage -Prompt 'x' -ResponseFormat url } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*b64_json only*'
        }
    }

    It 'adds -AdditionalParameter fields to the JSON body' {
        $null = New-GptImage -Prompt 'x [emulator:extra-fields]' -AdditionalParameter @{ user = 'runbook-7'; seed = 3 }
        $body = (Invoke-RestMethod -Uri ($emulator.BaseUri + '_emulator/last-submit')).body
        $body.user | Should -Be 'runbook-7'
        $body.seed | Should -Be 3
        { New-GptImage -Prompt 'x' -AdditionalParameter @{ response_format = 'url' } } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand'
    }

    It 'refuses -Base64Output and -WebhookUri, naming WaveSpeed' {
        { New-GptImage -Prompt 'x' -Base64Output } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*WaveSpeed*'
        { New-GptImage -Prompt 'x' -WebhookUri https://hook.example/ } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.NewGptImageCommand' -ExpectedMessage '*WaveSpeed*'
    }
}
Describe 'Usd on every provider' {
    It 'sums a batch with Measure-Object on <_>' -ForEach 'WaveSpeed', 'AimlApi', 'OpenAI' {
        try {
            Connect-GptImage -Provider $_ -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
            $batch = 'a', 'b', 'c' | New-GptImage -Quality low -Wait
            $sum = ($batch | Measure-Object -Property Usd -Sum).Sum
            $sum | Should -BeGreaterThan 0
            $sum | Should -Be (($batch | ForEach-Object { $_.Usd }) | Measure-Object -Sum).Sum
            $batch.UsdSource | ForEach-Object { $_ | Should -Match '^(estimate: published price|reported by AimlApi)' }
        }
        finally {
            Connect-GptImage -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        }
    }
}
