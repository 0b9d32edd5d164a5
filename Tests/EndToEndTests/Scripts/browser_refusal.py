# The refused-console script (run by `BrowserRefusalScript`). Arguments: mode (`other-user` or `ended`), portal base
# URL, user, password, screenshot path, Chromium profile folder, session id. Every wait is bounded.
from saffron_browser import *

mode, base, user, password, screenshot, profile, session = sys.argv[1:8]

def listed(driver):
    """The ids of the portal's running desktops, once it has rendered them."""
    until("the portal's list of running desktops", 20,
          lambda: driver.find_elements(By.CSS_SELECTOR, "#sessions > li"))
    return [card.get_attribute("data-session")
            for card in driver.find_elements(By.CSS_SELECTOR, "#sessions > li.session")]

def console_settled(driver):
    """Until console.html knows how things went; prints `console` with what it shows, then screenshots it."""
    state, text = until("console.html to settle on session " + session, 20,
                        lambda: settled(driver, CONSOLE_PENDING))
    shown = driver.execute_script(
        "const back = document.querySelector('.console-bar a.back');"
        "return {controls: [...document.querySelectorAll('.console-bar button')]"
        "          .filter((b) => b.offsetParent !== null).map((b) => b.textContent.trim()),"
        "        screen: document.getElementById('spice-screen').childElementCount,"
        "        back: !!back && back.offsetParent !== null};")
    shown.update(state=state, text=text, sockets=websockets_opened(driver))
    say("console", json.dumps(shown))
    driver.save_screenshot(screenshot)
    say("screenshot", screenshot)

def other_user(driver):
    sign_in(driver, base, user, password)
    say("listed", json.dumps(listed(driver)))
    websockets_opened(driver)  # the record starts here
    driver.get(base + "/console.html?session=" + session)
    console_settled(driver)

def ended(driver):
    sign_in(driver, base, user, password)
    card = '#sessions li.session[data-session="%s"]' % session
    until("the portal to list session " + session, 20, lambda: driver.find_elements(By.CSS_SELECTOR, card))
    say("listed", json.dumps(listed(driver)))
    websockets_opened(driver)
    # Ended elsewhere (the API, as another device would) and Reconnect pressed in one go: the portal's
    # periodic refresh gets no chance to drop the card in between. The script answers before the click, whose
    # navigation would otherwise unload the page under the answer.
    status = driver.execute_async_script(
        "const [selector, id, done] = arguments;"
        "const reconnect = [...document.querySelectorAll(selector + ' button')]"
        "  .find((b) => b.textContent.trim() === 'Reconnect');"
        "if (!reconnect) { done(0); return; }"
        "fetch('/api/v1/sessions/' + encodeURIComponent(id), {method: 'DELETE',"
        "  headers: {Authorization: 'Bearer ' + sessionStorage.getItem('saffron.token')}})"
        "  .then((response) => { done(response.status); setTimeout(() => reconnect.click(), 0); },"
        "    () => done(-1));",
        card, session)
    say("ended", json.dumps(status))
    if status != 204:
        raise RuntimeError("ending session %s from the page gave %s, not 204" % (session, status))
    until("the console page", 20, lambda: "/console.html?session=" in driver.current_url)
    console_settled(driver)
    driver.find_element(By.CSS_SELECTOR, ".console-bar a.back").click()
    until("the portal", 20, lambda: driver.find_elements(By.CSS_SELECTOR, "#pools li.pool"))
    pool = driver.find_element(By.CSS_SELECTOR, '#pools li.pool[data-pool="office"]')
    say("after", json.dumps({"sessions": listed(driver), "pool": pool.text.replace("\n", " | "),
                             "empty": driver.find_element(By.ID, "sessions").text.strip()}))

driver = browser(profile, sockets=True)
run(lambda: (other_user if mode == "other-user" else ended)(driver), {"browser": driver}, screenshot)
