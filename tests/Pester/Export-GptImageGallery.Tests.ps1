#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }
param()

BeforeDiscovery {
    # The page is checked in a real browser: headless Chromium (Debian's chromium package; .ci/run installs it).
    $script:chromium = @('chromium', 'chromium-browser', 'google-chrome') | ForEach-Object { Get-Command $_ -CommandType Application -ErrorAction SilentlyContinue } |
        Select-Object -First 1 -ExpandProperty Source
    if (-not $chromium -and $env:CI -eq 'true') { throw 'Chromium is needed for the gallery tests: apt-get install chromium.' }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emulator = Start-GptImageTestSession -InferenceLatencyMs 50 -NoConnect
    $script:chromium = @('chromium', 'chromium-browser', 'google-chrome') | ForEach-Object { Get-Command $_ -CommandType Application -ErrorAction SilentlyContinue } |
        Select-Object -First 1 -ExpandProperty Source

    function Invoke-Chromium {
        # Renders the page headless and returns the DOM after its script ran; -Screenshot also keeps a picture.
        param([string] $Uri, [string] $Screenshot)
        $userData = New-Item -ItemType Directory -Path (Join-Path $TestDrive ('chromium-' + [guid]::NewGuid().ToString('n')))
        $arguments = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', "--user-data-dir=$userData", '--virtual-time-budget=2000')
        if ($Screenshot) { & $chromium @arguments '--window-size=1280,1600' "--screenshot=$Screenshot" $Uri 2>$null | Out-Null }
        & $chromium @arguments '--dump-dom' $Uri 2>$null | Out-String
    }

    # A batch of 100: three providers, generations and edits, completed and failed (every tenth WaveSpeed prompt).
    $out = Join-Path $TestDrive 'out'
    $shots = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'shots')
    $sources = 1..10 | ForEach-Object { New-TestPng -Path (Join-Path $shots "shot$_.png") }
    $script:batch = @(
        Connect-GptImage -Provider WaveSpeed -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        1..50 | ForEach-Object { if ($_ % 10 -eq 0) { "prompt $_ [emulator:fail=1403]" } else { "prompt $_" } } |
            New-GptImage -Quality low | Wait-GptImagePrediction -OutputDirectory $out -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.TargetObject
        $sources | Edit-GptImage -Prompt 'pastel colours' -OutputDirectory $out -Wait
        Connect-GptImage -Provider AimlApi -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        1..20 | ForEach-Object { "aiml $_" } | New-GptImage -OutputDirectory $out
        Connect-GptImage -Provider OpenAI -ApiKey $emulator.ApiKey -BaseUri $emulator.BaseUri
        1..19 | ForEach-Object { "openai $_" } | New-GptImage -OutputFormat webp -Size 1536x1024 -OutputDirectory $out
        New-GptImage -Prompt 'a <b>bold</b> fox' -OutputFormat webp -OutputDirectory $out
    )
    Disconnect-GptImage
}

AfterAll {
    Stop-GptImageTestSession -Emulator $emulator
}

Describe 'Export-GptImageGallery' {
    It 'writes one page with a card per prediction of every provider, and -PassThru gives its FileInfo' {
        $batch | Should -HaveCount 100
        @($batch | Where-Object Status -eq 'failed') | Should -HaveCount 5
        ($batch.Provider | Sort-Object -Unique) -join ',' | Should -Be 'AimlApi,OpenAI,WaveSpeed'
        $page = $batch | Export-GptImageGallery -Path (Join-Path $TestDrive 'out/review.html') -Title 'Review' -PassThru
        $page | Should -BeOfType System.IO.FileInfo
        $page.FullName | Should -Be (Join-Path $TestDrive 'out/review.html')
        $html = Get-Content -LiteralPath $page.FullName -Raw
        ([regex]::Matches($html, '<article class="card"')).Count | Should -Be 100
        ([regex]::Matches($html, '<img src="data:image/jpeg;base64,')).Count | Should -Be 105  # 95 outputs and 10 edit sources
        $html | Should -Match '<p class="reason">[^<]*\(code 1403\)</p>'
        $html | Should -Match 'a &lt;b&gt;bold&lt;/b&gt; fox'
        $html | Should -Match '<dt>quality</dt><dd>low</dd><dt>cost</dt><dd>\$0\.011</dd>'
        $html | Should -Match '<dt>size</dt><dd>1536x1024</dd>'
        $html | Should -Match 'href="[0-9a-f]{32}-0\.png"'
        $html | Should -Match 'edited from <a href="file:///[^"]*/shots/shot\d+\.png"><img src="data:image/jpeg;base64,'
    }

    It 'renders in headless Chromium with every card, and a failed card shows its reason' -Skip:(-not $chromium) {
        $path = Join-Path $TestDrive 'render.html'
        $batch | Export-GptImageGallery -Path $path
        # Kept as a test artefact beside the runners' results.
        $screenshot = Join-Path $PSScriptRoot '../../out/test-results/gallery.png'
        New-Item -ItemType Directory -Path (Split-Path $screenshot) -Force | Out-Null
        $dom = Invoke-Chromium -Uri ([uri]::new($path).AbsoluteUri) -Screenshot $screenshot
        ([regex]::Matches($dom, '<article class="card')).Count | Should -Be 100
        ([regex]::Matches($dom, '<img src="data:image/jpeg')).Count | Should -Be 105
        $dom | Should -Match 'data-status="failed"[^>]*>[\s\S]*?<p class="reason">[^<]+</p>'
        $screenshot | Should -Exist
        (Get-Item $screenshot).Length | Should -BeGreaterThan 10kb
    }

    It 'filters by status in the page itself, from a link naming the status' -Skip:(-not $chromium) {
        $path = Join-Path $TestDrive 'filter.html'
        $batch | Export-GptImageGallery -Path $path
        $dom = Invoke-Chromium -Uri ([uri]::new($path).AbsoluteUri + '#status=failed')
        ([regex]::Matches($dom, '<article class="card hidden"')).Count | Should -Be 95
        ([regex]::Matches($dom, '<article class="card" data-status="failed"')).Count | Should -Be 5
    }

    It 'takes predictions that went through Export-Clixml' {
        $xml = Join-Path $TestDrive 'batch.xml'
        $batch | Export-Clixml -LiteralPath $xml
        $page = Import-Clixml -LiteralPath $xml | Export-GptImageGallery -Path (Join-Path $TestDrive 'out/from-xml.html') -PassThru
        $html = Get-Content -LiteralPath $page.FullName -Raw
        ([regex]::Matches($html, '<article class="card"')).Count | Should -Be 100
        ([regex]::Matches($html, '<img src="data:image/jpeg;base64,')).Count | Should -Be 105
        $html | Should -Match '<dt>created</dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</dd>'
    }

    It 'never overwrites a file without -Force, and replaces it with -Force' {
        $path = Join-Path $TestDrive 'mine.html'
        Set-Content -LiteralPath $path -Value 'mine'
        { $batch | Export-GptImageGallery -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'GptImage.FileExists,GptImage.Commands.ExportGptImageGalleryCommand'
        Get-Content -LiteralPath $path -Raw | Should -Be "mine$([Environment]::NewLine)"
        $batch | Export-GptImageGallery -Path $path -Force
        Get-Content -LiteralPath $path -Raw | Should -Match '^<!DOCTYPE html>'
        Get-ChildItem -LiteralPath $TestDrive -Filter '.gptimage-*' -Force | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.html'
        $batch | Export-GptImageGallery -Path $path -WhatIf
        $path | Should -Not -Exist
    }

    It 'skips $null, so Example 3 works as written when nothing failed' {
        # As in a user's session: no strict mode, where a property of an empty list is $null.
        Set-StrictMode -Off
        $path = Join-Path $TestDrive 'none-failed.html'
        $done = $batch | Where-Object Status -eq 'completed' | Select-Object -First 2
        $failed = [System.Collections.ArrayList]::new()
        @($done) + $failed.TargetObject | Export-GptImageGallery -Path $path -Force
        ([regex]::Matches((Get-Content -LiteralPath $path -Raw), '<article class="card"')).Count | Should -Be 2
        $failed = $null
        @($done) + $failed | Export-GptImageGallery -Path $path -Force
        ([regex]::Matches((Get-Content -LiteralPath $path -Raw), '<article class="card"')).Count | Should -Be 2
        $null | Export-GptImageGallery -Path $path -Force
        ([regex]::Matches((Get-Content -LiteralPath $path -Raw), '<article class="card"')).Count | Should -Be 0
    }

    It 'totals what completed predictions cost and counts failed ones apart' {
        $path = Join-Path $TestDrive 'total.html'
        $completed = @($batch | Where-Object { $_.Status -eq 'completed' -and $null -ne $_.Usd } | Select-Object -First 2)
        $refused = @($batch | Where-Object Status -eq 'failed' | Select-Object -First 1)
        $completed + $refused | Export-GptImageGallery -Path $path
        $sum = ($completed | ForEach-Object { $_.Usd } | Measure-Object -Sum).Sum
        $total = '$' + $sum.ToString('0.000', [cultureinfo]::InvariantCulture)
        Get-Content -LiteralPath $path -Raw | Should -BeLike "*$total for 2 completed predictions `u{00B7} 1 failed or unfinished, not in the total*"
    }

    It 'refuses an object that is not a prediction and writes the rest' {
        $path = Join-Path $TestDrive 'mixed.html'
        @($batch[0], 'not a prediction', @{ Prompt = 'x' }) | Export-GptImageGallery -Path $path -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused | Should -HaveCount 2
        $refused[0].FullyQualifiedErrorId | Should -Be 'GptImage.InvalidParameter,GptImage.Commands.ExportGptImageGalleryCommand'
        ([regex]::Matches((Get-Content -LiteralPath $path -Raw), '<article class="card"')).Count | Should -Be 1
    }

    It 'skips a FIFO named as an output with a warning instead of hanging on it' -Skip:$IsWindows {
        $fifo = Join-Path $TestDrive 'fifo-out.png'
        & mkfifo $fifo
        $card = [pscustomobject]@{ Id = 'fifo'; Status = 'completed'; Prompt = 'p'; Files = @($fifo) }
        $path = Join-Path $TestDrive 'fifo.html'
        # Opening a FIFO for reading blocks until a writer comes: a gallery that opened it would never end.
        $module = Get-GptImageModulePath
        $job = Start-ThreadJob { Import-Module $using:module; $using:card | Export-GptImageGallery -Path $using:path 3>&1 }
        $warnings = $job | Wait-Job -Timeout 30 | Receive-Job
        $job.State | Should -Be 'Completed'
        $job | Remove-Job -Force
        "$warnings" | Should -Match 'fifo-out\.png.*regular file'
        Get-Content -LiteralPath $path -Raw | Should -Match 'fifo-out\.png<br>no preview'
    }

    It 'shows a PNG bomb without inflating its metadata' {
        $bomb = New-TestPngBomb -Path (Join-Path $TestDrive 'bomb.png')
        $bomb.Length | Should -BeLessThan 2mb
        $card = [pscustomobject]@{ Id = 'bomb'; Status = 'completed'; Prompt = 'p'; Files = @($bomb.FullName) }
        $before = [GC]::GetTotalAllocatedBytes($true)
        $elapsed = Measure-Command { $card | Export-GptImageGallery -Path (Join-Path $TestDrive 'bomb.html') }
        # Its chunks inflate to 600 MB; the page of one small thumbnail takes a few MB.
        ([GC]::GetTotalAllocatedBytes($true) - $before) | Should -BeLessThan 100mb
        $elapsed.TotalSeconds | Should -BeLessThan 5
        ([regex]::Matches((Get-Content -LiteralPath (Join-Path $TestDrive 'bomb.html') -Raw), '<img src="data:image/jpeg;base64,')).Count | Should -Be 1
    }

    It 'refuses a folder as -Path' {
        { $batch | Export-GptImageGallery -Path $TestDrive -ErrorAction Stop } | Should -Throw -ErrorId 'GptImage.InvalidParameter,GptImage.Commands.ExportGptImageGalleryCommand'
    }

    It 'has help with examples' {
        $help = Get-Help Export-GptImageGallery -Full
        $help.Synopsis | Should -Be 'Writes one self-contained HTML page showing a batch of predictions.'
        @($help.Examples.Example).Count | Should -Be 3
        $help.Examples.Example[0].Code | Should -Match 'Export-GptImageGallery -Path ./out/review.html'
    }
}
