# The portal script (run by `BrowserScript`): headless Chromium signing in as alice. Arguments: mode (`desktop`,
# `reload`, `bogus` or `password`), portal base URL, user, password, screenshot path, Chromium profile folder, bogus session id. Every
# wait is bounded, so a page that hangs fails the script instead of the test runner.
from saffron_browser import *

mode, base, user, password, screenshot, profile, bogus_session = sys.argv[1:8]

def desktop(driver):
    sign_in(driver, base, user, password)
    connect_until_drawn(driver, "office")
    driver.save_screenshot(screenshot)
    say("screenshot", screenshot)
    say("ready-for-end")
    wait_until_ended(driver, "the")
    driver.save_screenshot(screenshot.replace(".png", "-ended.png"))

KEPT_GRANT = 'return Object.keys(sessionStorage).filter((key) => key.startsWith("saffron-console-grant-")).map((key) => JSON.parse(sessionStorage.getItem(key)));'

def reload(driver):
    """The desktop's console, then the page reloaded: it reconnects with the grant it kept. Prints `kept` (the
    grants the tab keeps) before and after, then waits for the session to end like `desktop`."""
    sign_in(driver, base, user, password)
    connect_until_drawn(driver, "office")
    say("kept", json.dumps(driver.execute_script(KEPT_GRANT)))
    driver.refresh()
    until_drawn(driver)
    say("reloaded", json.dumps(driver.execute_script(KEPT_GRANT)))
    driver.save_screenshot(screenshot)
    say("ready-for-end")
    wait_until_ended(driver, "the")

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

def change_password(driver):
    """Password: a wrong current one is refused; the right one changes it and signs out; the new one signs in."""
    sign_in(driver, base, user, password)
    new = password + "-new"
    def fill(current, fresh, again):
        if not driver.find_element(By.ID, "password-view").is_displayed():
            driver.find_element(By.ID, "change-password").click()
        until("the password form", 10, lambda: driver.find_element(By.ID, "current-password").is_displayed())
        for field, value in (("current-password", current), ("new-password", fresh), ("again-password", again)):
            driver.find_element(By.ID, field).clear()
            driver.find_element(By.ID, field).send_keys(value)
        driver.find_element(By.ID, "save-password").click()
    def error_text():
        node = driver.find_element(By.ID, "error")
        return node.is_displayed() and node.text
    fill(password, new, new + "x")
    differ = until("the page to say the new passwords differ", 10, error_text)
    fill("not-" + password, new, new)
    wrong = until("the page to refuse the wrong current password", 10,
                  lambda: (error_text() or "") != differ and error_text())
    fill(password, new, new)
    until("the sign-in form after the change", 20, lambda: driver.find_element(By.ID, "login-view").is_displayed())
    notice = driver.find_element(By.ID, "notice").text
    driver.save_screenshot(screenshot)
    sign_in(driver, base, user, new)
    say("password", json.dumps({"differ": differ, "wrong": wrong, "notice": notice}))

driver = browser(profile)
steps = {"desktop": desktop, "reload": reload, "bogus": bogus, "password": change_password}
run(lambda: steps[mode](driver), {"browser": driver}, screenshot)
