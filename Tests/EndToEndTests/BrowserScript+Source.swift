extension BrowserScript {
    /// The selenium script: `BrowserScriptPrelude` and this test's steps. Arguments: mode, portal base URL, user,
    /// password, screenshot path, Chromium profile folder, bogus session id. Every wait is bounded, so a page that
    /// hangs fails the script instead of the test runner.
    static let source = BrowserScriptPrelude.source + #"""
        mode, base, user, password, screenshot, profile, bogus_session = sys.argv[1:8]

        def desktop(driver):
            sign_in(driver, base, user, password)
            connect_until_drawn(driver, "office")
            driver.save_screenshot(screenshot)
            say("screenshot", screenshot)
            say("ready-for-end")
            wait_until_ended(driver, "the")
            driver.save_screenshot(screenshot.replace(".png", "-ended.png"))

        def bogus(driver):
            driver.get(base + "/console.html?session=" + bogus_session)
            say("unsigned", json.dumps(until("console.html to give up without a sign-in", 20,
                                             lambda: settled(driver, CONSOLE_PENDING))))
            sign_in(driver, base, user, password)
            driver.get(base + "/console.html?session=" + bogus_session)
            say("bogus", json.dumps(until("console.html to give up on the session", 20,
                                          lambda: settled(driver, CONSOLE_PENDING))))
            driver.save_screenshot(screenshot)
            say("screenshot", screenshot)

        driver = browser(profile)
        run(lambda: (desktop if mode == "desktop" else bogus)(driver), {"browser": driver}, screenshot)
        """#
}
