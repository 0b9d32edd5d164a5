# The Send to phone script (run by `BrowserPhoneScript`). Arguments: portal base URL, user, password, screenshot path,
# Chromium profile folder, session id, bogus session id. It opens `phone.html` signed out (must say so), signs in
# through the portal's form, opens `phone.html` for the session, presses New code (the link must change), screenshots
# the page with the QR code in view and prints what the page shows; then opens it for a session that does not exist.
# Every wait is bounded, so a page that hangs fails the script instead of the test runner.
from saffron_browser import *

base, user, password, screenshot, profile, session, bogus_session = sys.argv[1:8]
# States of phone.html before it has an answer from the broker.
PENDING = ("", "loading")

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

def phone(driver):
    driver.get(base + "/phone.html?session=" + session)
    say("unsigned", json.dumps(until("phone.html to answer without a sign-in", 20, lambda: settled(driver, PENDING))))
    sign_in(driver, base, user, password)
    say("signed-in")
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
    say("bogus", json.dumps(until("phone.html to give up on the session", 20, lambda: settled(driver, PENDING))))

driver = browser(profile)
run(lambda: phone(driver), {"browser": driver}, screenshot)
