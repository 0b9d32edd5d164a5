extension BrowserPhoneScript {
    /// The selenium script. Arguments: portal base URL, user, password, screenshot path, Chromium profile folder,
    /// session id, bogus session id. It opens `phone.html` signed out (must say so), signs in through the portal's
    /// form, opens `phone.html` for the session, presses New code (the link must change), screenshots the page with
    /// the QR code in view and prints what the page shows; then opens it for a session that does not exist.
    /// Every wait is bounded, so a page that hangs fails the script instead of the test runner.
    static let source = #"""
        import json, signal, sys, time
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By

        base, user, password, screenshot, profile, session, bogus_session = sys.argv[1:8]
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        # States of phone.html before it has an answer from the broker.
        PENDING = ("", "loading")

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

        def settled(driver):
            state, text = status(driver)
            return None if state in PENDING else [state, text]

        def shown_url(driver):
            return driver.find_element(By.ID, "phone-url").text.strip()

        def ready(driver, other_than=None):
            state, text = status(driver)
            if state not in PENDING + ("ready",):
                raise RuntimeError("phone.html shows %s: %s" % (state, text))
            canvas = driver.find_element(By.ID, "qr")
            url = shown_url(driver)
            drawn = driver.execute_script("return arguments[0].width", canvas) >= 100
            return state == "ready" and drawn and url and url != other_than and url

        def log_in(driver):
            driver.get(base + "/")
            until("the sign-in form", 20, lambda: driver.find_element(By.ID, "username").is_displayed())
            driver.find_element(By.ID, "username").send_keys(user)
            driver.find_element(By.ID, "password").send_keys(password)
            driver.find_element(By.ID, "login-button").click()
            def pools():
                error = driver.find_element(By.ID, "error")
                if error.is_displayed() and error.text:
                    raise RuntimeError("the portal shows an error: " + error.text)
                return driver.find_elements(By.CSS_SELECTOR, "#pools li.pool")
            until("the pool list", 20, pools)
            say("signed-in")

        def phone(driver):
            driver.get(base + "/phone.html?session=" + session)
            say("unsigned", json.dumps(until("phone.html to answer without a sign-in", 20, lambda: settled(driver))))
            log_in(driver)
            driver.get(base + "/phone.html?session=" + session)
            first = until("the first QR code", 20, lambda: ready(driver))
            driver.find_element(By.ID, "new-code").click()
            url = until("New code to show another link", 20, lambda: ready(driver, other_than=first))
            canvas = driver.find_element(By.ID, "qr")
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
            time.sleep(0.3)
            driver.save_screenshot(screenshot)
            say("shown", json.dumps({
                "state": status(driver), "url": url, "firstURL": first,
                "countdown": driver.find_element(By.ID, "countdown").text.strip(),
                "canvasWidth": driver.execute_script("return arguments[0].width", canvas),
                "canvasLabel": canvas.get_attribute("aria-label") or "",
            }))
            driver.get(base + "/phone.html?session=" + bogus_session)
            say("bogus", json.dumps(until("phone.html to give up on the session", 20, lambda: settled(driver))))

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--no-sandbox", "--headless=new", "--disable-gpu", "--window-size=1280,900",
                     "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            phone(driver)
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
