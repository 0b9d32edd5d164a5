extension BrowserAdminScript {
    /// The admin test's part of the selenium script, run after `BrowserScript.source`'s helpers. Arguments after
    /// those of `BrowserScript`: admin user, admin password, the admin's Chromium profile, the admin page's
    /// screenshots before and after ending the session, the screenshot of the admin page as alice sees it, and the
    /// file the test creates when it has checked the API and the admin may press End session.
    /// Two Chromiums with their own profiles, so the two sign-ins (kept in sessionStorage) stay apart.
    static let adminSource = #"""
        import os
        from selenium.common.exceptions import StaleElementReferenceException

        admin_user, admin_password, admin_profile, shot_before, shot_after, shot_denied, go_ahead = sys.argv[8:15]

        def browser(folder):
            options = webdriver.ChromeOptions()
            options.binary_location = "/usr/bin/chromium"
            for flag in ("--no-sandbox", "--headless=new", "--disable-gpu", "--window-size=1280,900",
                         "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + folder):
                options.add_argument(flag)
            options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
            return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

        def portal_error(driver):
            error = driver.find_element(By.ID, "error")
            if error.is_displayed() and error.text:
                raise RuntimeError("the page shows an error: " + error.text)

        def sign_in(driver, name, secret):
            driver.get(base + "/")
            until("the sign-in form", 20, lambda: driver.find_element(By.ID, "username").is_displayed())
            driver.find_element(By.ID, "username").send_keys(name)
            driver.find_element(By.ID, "password").send_keys(secret)
            driver.find_element(By.ID, "login-button").click()
            def pools():
                portal_error(driver)
                return driver.find_elements(By.CSS_SELECTOR, "#pools li.pool")
            until("the pool list of " + name, 20, pools)

        def admin_state(driver):
            return driver.execute_script(
                "const m = document.getElementById('admin'), g = document.getElementById('gate');"
                "return m ? [m.dataset.state || '', g && !g.hidden ? g.innerText.trim() : ''] : ['', ''];")

        def admin_settled(driver):
            state, text = admin_state(driver)
            return None if state in ("", "loading") else [state, text]

        def fresh(what, seconds, probe):
            """until(), retrying while the auto-refresh replaces the elements probe() works on."""
            def attempt():
                try:
                    return probe()
                except StaleElementReferenceException:
                    return None
            return until(what, seconds, attempt)

        def session_row(driver, session):
            return driver.find_elements(By.CSS_SELECTOR, '#sessions tr[data-session="%s"]' % session)

        def click_in_row(driver, session, label):
            def click():
                rows = session_row(driver, session)
                buttons = rows[0].find_elements(By.XPATH, ".//button[normalize-space()='%s']" % label) if rows else []
                if not buttons:
                    return None
                buttons[0].click()
                return True
            fresh("the %s button of session %s" % (label, session), 20, click)

        def alice_denied(driver):
            """A signed-out visitor, then alice (no admin), on admin.html."""
            driver.get(base + "/admin.html")
            say("unsigned-admin", json.dumps(until("admin.html to answer a signed-out visitor", 20,
                                                   lambda: admin_settled(driver))))
            log_in(driver)
            say("alice-admin-link", json.dumps(driver.find_element(By.ID, "admin-link").is_displayed()))
            driver.get(base + "/admin.html")
            say("alice-admin-page", json.dumps(until("admin.html to answer alice", 20, lambda: admin_settled(driver))))
            driver.save_screenshot(shot_denied)

        def alice_connects(driver):
            """Back on the portal (still signed in), Connect in browser on office until the desktop is drawn."""
            driver.get(base + "/")
            def pools():
                portal_error(driver)
                return driver.find_elements(By.CSS_SELECTOR, '#pools li.pool[data-pool="office"]')
            pool = until("alice's portal to list office", 20, pools)[0]
            pool.find_element(By.XPATH, ".//button[normalize-space()='Connect in browser']").click()
            until("the console page", 30, lambda: "/console.html?session=" in driver.current_url)
            session = driver.current_url.split("session=", 1)[1].split("&", 1)[0]
            say("session", session)
            def connected():
                state, text = status(driver)
                if state not in PENDING + ("connected",):
                    raise RuntimeError("alice's console shows %s: %s" % (state, text))
                return state == "connected"
            until("alice's console to say connected", 60, connected)
            last = {}
            def drawn():
                connected()
                last["measure"] = driver.execute_script(MEASURE)
                measure = last["measure"]
                return measure and measure["dark"] >= 0.5 and measure["light"] >= 0.004
            try:
                until("alice's canvas to show the guest's console", 60, drawn, interval=0.5)
            finally:
                say("pixels", json.dumps(last.get("measure")))
            return session

        def admin_ends(driver, session):
            """The admin: Admin link, the session's row, End session, End it, the row gone."""
            sign_in(driver, admin_user, admin_password)
            link = until("the Admin link", 20, lambda: driver.find_element(By.ID, "admin-link").is_displayed()
                         and driver.find_element(By.ID, "admin-link"))
            link.click()
            until("the admin page", 20, lambda: driver.current_url.endswith("/admin.html"))
            def ready():
                settled = admin_settled(driver)
                if settled and settled[0] != "ready":
                    raise RuntimeError("the admin page shows %s: %s" % tuple(settled))
                return settled
            until("the admin page to load", 20, ready)
            def row():
                rows = session_row(driver, session)
                return rows and {cell.get_attribute("data-label"): cell.text.strip()
                                 for cell in rows[0].find_elements(By.TAG_NAME, "td")}
            cells = fresh("alice's session in the admin page's table", 20, row)
            say("admin-row", json.dumps(cells))
            def vm():
                rows = driver.find_elements(By.CSS_SELECTOR, '#pools tr[data-vm="%s"]' % cells.get("VM", ""))
                return rows and {(cell.get_attribute("data-label") or ""): cell.text.strip()
                                 for cell in rows[0].find_elements(By.CSS_SELECTOR, "th, td")}
            say("admin-vm", json.dumps(fresh("alice's VM in the pools", 20, vm)))
            time.sleep(0.5)  # settle: fonts and layout before the screenshot
            driver.save_screenshot(shot_before)
            say("ready-to-end")
            until("the test's go-ahead to end the session", 60, lambda: os.path.exists(go_ahead))
            click_in_row(driver, session, "End session")
            click_in_row(driver, session, "End it")
            def gone():
                portal_error(driver)
                return admin_state(driver)[0] == "ready" and not session_row(driver, session)
            until("the admin page to drop the ended session", 30, gone)
            say("admin-gone", json.dumps(driver.find_element(By.ID, "notice").text))
            time.sleep(0.5)
            driver.save_screenshot(shot_after)

        def alice_sees_end(driver):
            def ended():
                state, text = status(driver)
                if state not in PENDING + ("connected", "session-ended"):
                    raise RuntimeError("alice's console shows %s instead of session ended: %s" % (state, text))
                return state == "session-ended" and text
            say("ended", json.dumps(until("alice's console to say the session ended", 30, ended, interval=0.1)))
            time.sleep(0.5)
            driver.save_screenshot(screenshot)

        drivers = {}
        try:
            drivers["alice"] = browser(profile)
            alice_denied(drivers["alice"])
            session = alice_connects(drivers["alice"])
            drivers["admin"] = browser(admin_profile)
            admin_ends(drivers["admin"], session)
            alice_sees_end(drivers["alice"])
            say("done")
        except Exception as failure:
            say("fail", json.dumps(str(failure).strip()[:500]))
            for name, driver in drivers.items():
                try:
                    for entry in driver.get_log("browser")[-20:]:
                        say("browser-log", name, json.dumps(entry.get("message", "")[:300]))
                    driver.save_screenshot(screenshot.replace(".png", "-%s-failed.png" % name))
                except WebDriverException:
                    pass
            sys.exit(1)
        finally:
            for driver in drivers.values():
                try:
                    driver.quit()
                except WebDriverException:
                    pass
        """#
}
