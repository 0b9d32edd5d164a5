extension BrowserScript {
    /// The selenium script. Arguments: mode, portal base URL, user, password, screenshot path, Chromium profile folder,
    /// bogus session id. Chromium runs headless as root, so it needs `--no-sandbox`; its own profile folder keeps
    /// runs apart. Every wait in it is bounded, so a page that hangs fails the script instead of the test runner.
    /// The canvas measure counts opaque pixels only: a canvas spice-html5 created but never drew on is transparent.
    static let source = #"""
        import json, signal, sys, time
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By

        mode, base, user, password, screenshot, profile, bogus_session = sys.argv[1:8]
        # SIGTERM (the test giving up) still quits Chromium and chromedriver, in the finally at the end.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        # States of console.html before it knows how things went.
        PENDING = ("", "loading", "connecting")

        def say(*words):
            print(*words, flush=True)

        def until(what, seconds, probe, interval=0.2):
            deadline = time.monotonic() + seconds
            while True:
                value = probe()
                if value:
                    return value
                if time.monotonic() > deadline:
                    raise TimeoutError("timed out after %s s waiting for %s" % (seconds, what))
                time.sleep(interval)

        def status(driver):
            return driver.execute_script(
                "const s = document.getElementById('status');"
                "return s ? [s.dataset.state || '', s.textContent.trim()] : ['', ''];")

        # The desktop's canvas as the user sees it: its CSS background is black (a fresh SPICE surface is black), so
        # pixels spice-html5 has not drawn count as dark. The share that is dark (luma < 10%) and light (luma > 50%):
        # a canvas never drawn on has no light pixels and fails.
        MEASURE = '''
        const canvas = document.querySelector('#spice-screen canvas');
        if (!canvas || canvas.width < 64 || canvas.height < 64) return null;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let dark = 0, light = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] === 0) { dark++; continue; }
          const luma = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
          if (luma < 25.5) dark++; else if (luma > 127.5) light++;
        }
        const total = canvas.width * canvas.height;
        return {width: canvas.width, height: canvas.height, dark: dark / total, light: light / total};
        '''

        def log_in(driver):
            driver.get(base + "/")
            until("the sign-in form", 20, lambda: driver.find_element(By.ID, "username").is_displayed())
            driver.find_element(By.ID, "username").send_keys(user)
            driver.find_element(By.ID, "password").send_keys(password)
            driver.find_element(By.ID, "login-button").click()
            def pools():
                items = driver.find_elements(By.CSS_SELECTOR, "#pools li.pool")
                error = driver.find_element(By.ID, "error")
                if error.is_displayed() and error.text:
                    raise RuntimeError("the portal shows an error: " + error.text)
                return items
            items = until("the pool list", 20, pools)
            say("pools", json.dumps([item.get_attribute("data-pool") for item in items]))

        def desktop(driver):
            log_in(driver)
            pool = driver.find_element(By.CSS_SELECTOR, '#pools li.pool[data-pool="office"]')
            say("pool-card", json.dumps(pool.text.replace("\n", " | ")))
            pool.find_element(By.XPATH, ".//button[normalize-space()='Connect in browser']").click()
            until("the console page", 30, lambda: "/console.html?session=" in driver.current_url)
            session = driver.current_url.split("session=", 1)[1].split("&", 1)[0]
            say("session", session)
            def connected():
                state, text = status(driver)
                if state not in PENDING + ("connected",):
                    raise RuntimeError("the console shows %s: %s" % (state, text))
                return state == "connected"
            until("the status bar to say connected", 60, connected)
            say("status", json.dumps(status(driver)))
            last = {}
            def drawn():
                connected()
                last["measure"] = driver.execute_script(MEASURE)
                measure = last["measure"]
                return measure and measure["dark"] >= 0.5 and measure["light"] >= 0.004
            try:
                until("the canvas to show the guest's console", 60, drawn, interval=0.5)
            finally:
                say("pixels", json.dumps(last.get("measure")))
            driver.save_screenshot(screenshot)
            say("screenshot", screenshot)
            say("ready-for-end")
            def ended():
                state, text = status(driver)
                if state not in PENDING + ("connected", "session-ended"):
                    raise RuntimeError("the console shows %s instead of session ended: %s" % (state, text))
                return state == "session-ended" and text
            text = until("the console to say the session ended", 30, ended, interval=0.1)
            say("ended", json.dumps(text))
            driver.save_screenshot(screenshot.replace(".png", "-ended.png"))

        def settled(driver):
            state, text = status(driver)
            return None if state in PENDING else [state, text]

        def bogus(driver):
            driver.get(base + "/console.html?session=" + bogus_session)
            say("unsigned", json.dumps(until("console.html to give up without a sign-in", 20, lambda: settled(driver))))
            log_in(driver)
            driver.get(base + "/console.html?session=" + bogus_session)
            say("bogus", json.dumps(until("console.html to give up on the session", 20, lambda: settled(driver))))
            driver.save_screenshot(screenshot)
            say("screenshot", screenshot)

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--no-sandbox", "--headless=new", "--disable-gpu", "--window-size=1280,900",
                     "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            (desktop if mode == "desktop" else bogus)(driver)
            say("done")
        except Exception as failure:
            say("fail", json.dumps(str(failure).strip()[:500]))
            try:
                for entry in driver.get_log("browser")[-30:]:
                    say("browser-log", json.dumps(entry.get("message", "")[:300]))
                driver.save_screenshot(screenshot.replace(".png", "-failed.png"))
            except WebDriverException:
                pass
            sys.exit(1)
        finally:
            driver.quit()
        """#
}
