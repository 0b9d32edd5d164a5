# The admin test's script (run by `BrowserAdminScript`). Arguments: portal base URL, alice, her password, her console's
# screenshot, her Chromium profile, admin user, admin password, the admin's Chromium profile, the admin page's
# screenshots before and after ending the session, the screenshot of the admin page as alice sees it, and the
# file the test creates when it has checked the API and the admin may press End session.
# Two Chromiums with their own profiles, so the two sign-ins (kept in sessionStorage) stay apart.
from saffron_browser import *

(base, user, password, screenshot, profile,
 admin_user, admin_password, admin_profile, shot_before, shot_after, shot_denied, go_ahead) = sys.argv[1:13]

AUDITOR, AUDITOR_PASSWORD = "ivy", "ivy-audits-1"

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

def thumbnail(driver, name, previous=None):
    """The loaded thumbnail of VM name, unless its src is still previous: what it shows and how."""
    images = driver.find_elements(By.CSS_SELECTOR, '#pools tr[data-vm="%s"] img.thumb' % name)
    seen = images and driver.execute_script(
        "const i = arguments[0];"
        "if (!i.src || !i.complete || !i.naturalWidth) return null;"
        "const c = document.createElement('canvas'); c.width = i.naturalWidth; c.height = i.naturalHeight;"
        "const g = c.getContext('2d'); g.drawImage(i, 0, 0);"
        "const d = g.getImageData(0, 0, c.width, c.height).data, colours = new Set();"
        "for (let p = 0; p < d.length && colours.size < 64; p += 4) colours.add(d[p] << 16 | d[p + 1] << 8 | d[p + 2]);"
        "return {src: i.src, alt: i.alt, width: i.naturalWidth, height: i.naturalHeight,"
        "        shownWidth: Math.round(i.getBoundingClientRect().width), colours: colours.size};", images[0])
    return seen if seen and seen["src"] != previous else None

def thumbnails(driver, name):
    """alice's VM's thumbnail, then a newer one from a later refresh; the Screen cells of the other VMs."""
    first = fresh("a thumbnail of %s in the pools" % name, 30, lambda: thumbnail(driver, name))
    second = fresh("a newer thumbnail of %s" % name, 30, lambda: thumbnail(driver, name, first["src"]))
    screens = {row.get_attribute("data-vm"): row.find_element(By.CSS_SELECTOR, 'td[data-label="Screen"]').text.strip()
               for row in driver.find_elements(By.CSS_SELECTOR, "#pools tr[data-vm]")}
    return {"first": first, "second": second, "screens": screens}

def alice_denied(driver):
    """A signed-out visitor, then alice (no admin), on admin.html."""
    driver.get(base + "/admin.html")
    say("unsigned-admin", json.dumps(until("admin.html to answer a signed-out visitor", 20,
                                           lambda: admin_settled(driver))))
    sign_in(driver, base, user, password)
    say("alice-admin-link", json.dumps(driver.find_element(By.ID, "admin-link").is_displayed()))
    driver.get(base + "/admin.html")
    say("alice-admin-page", json.dumps(until("admin.html to answer alice", 20, lambda: admin_settled(driver))))
    driver.save_screenshot(shot_denied)

def alice_connects(driver):
    """Back on the portal (still signed in), Connect in browser on office until the desktop is drawn."""
    driver.get(base + "/")
    return connect_until_drawn(driver, "office")

def admin_ends(driver, session):
    """The admin: Admin link, the session's row, End session, End it, the row gone."""
    sign_in(driver, base, admin_user, admin_password)
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
    say("admin-thumbnail", json.dumps(thumbnails(driver, cells.get("VM", ""))))
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
    def audit_rows():
        found = {}
        for row in driver.find_elements(By.CSS_SELECTOR, "#audit tr[data-action]"):
            cells = {cell.get_attribute("data-label"): cell.text.strip()
                     for cell in row.find_elements(By.TAG_NAME, "td")}
            action = row.get_attribute("data-action")
            if cells.get("About") == session and action in ("handout", "session_end"):
                found.setdefault(action, cells)
        return len(found) == 2 and found
    say("admin-audit", json.dumps(fresh("the session's handout and end in the audit table", 20, audit_rows)))
    # Groups and access: create a group, put alice in it, grant the pool to it, all through the page's forms.
    from selenium.webdriver.support.ui import Select
    driver.find_element(By.ID, "group-name").send_keys("staff")
    driver.find_element(By.CSS_SELECTOR, "#group-form button[type=submit]").click()
    until("the new group in the list", 20, lambda: driver.find_elements(By.CSS_SELECTOR, '#groups li[data-group="staff"]'))
    until("staff among the member form's groups", 20,
          lambda: "staff" in [o.get_attribute("value") for o in Select(driver.find_element(By.ID, "member-group")).options])
    Select(driver.find_element(By.ID, "member-user")).select_by_value(user)
    Select(driver.find_element(By.ID, "member-group")).select_by_value("staff")
    driver.find_element(By.CSS_SELECTOR, "#member-form button[type=submit]").click()
    def member():
        items = driver.find_elements(By.CSS_SELECTOR, '#groups li[data-group="staff"] .chip')
        return [item.text.replace("×", "").strip() for item in items] or None
    members = fresh("alice in staff", 20, member)
    until("group staff among the grant choices", 20,
          lambda: "groups/staff" in [o.get_attribute("value") for o in Select(driver.find_element(By.ID, "grant-to")).options])
    Select(driver.find_element(By.ID, "grant-pool")).select_by_value("office")
    Select(driver.find_element(By.ID, "grant-to")).select_by_value("groups/staff")
    driver.find_element(By.CSS_SELECTOR, "#grant-form button[type=submit]").click()
    def granted():
        meta = driver.find_element(By.CSS_SELECTOR, '#pools article[data-pool="office"] .meta').text
        return "group:staff" in meta and meta
    say("admin-access", json.dumps({"members": members, "pool": fresh("office granted to staff", 20, granted),
                                    "notice": driver.find_element(By.ID, "notice").text}))
    # Users: alice's row, then an auditor added through the form.
    def user_row(name):
        rows = driver.find_elements(By.CSS_SELECTOR, '#users tr[data-user="%s"]' % name)
        if not rows:
            return None
        cells = {}
        for cell in rows[0].find_elements(By.CSS_SELECTOR, "th, td"):
            selects = cell.find_elements(By.TAG_NAME, "select")
            cells[cell.get_attribute("data-label") or ""] = (
                selects[0].get_attribute("value") if selects else cell.text.strip())
        return cells
    alice_user = fresh("alice in the users table", 20, lambda: user_row(user))
    driver.find_element(By.ID, "new-user-name").send_keys(AUDITOR)
    driver.find_element(By.ID, "new-user-password").send_keys(AUDITOR_PASSWORD)
    Select(driver.find_element(By.ID, "new-user-role")).select_by_value("auditor")
    driver.find_element(By.CSS_SELECTOR, "#user-form button[type=submit]").click()
    auditor_user = fresh("the new auditor in the users table", 20, lambda: user_row(AUDITOR))
    say("admin-users", json.dumps({"alice": alice_user, "auditor": auditor_user,
                                   "notice": driver.find_element(By.ID, "notice").text}))
    time.sleep(0.5)
    driver.save_screenshot(shot_after)

def alice_sees_end(driver):
    wait_until_ended(driver, "alice's")
    time.sleep(0.5)
    driver.save_screenshot(screenshot)

def auditor_looks(driver):
    """The auditor on the admin page: everything shown, nothing to press."""
    driver.execute_script("sessionStorage.clear()")
    sign_in(driver, base, AUDITOR, AUDITOR_PASSWORD)
    driver.get(base + "/admin.html")
    until("the admin page for the auditor", 20, lambda: admin_state(driver)[0] == "ready")
    fresh("the users table for the auditor", 20,
          lambda: driver.find_elements(By.CSS_SELECTOR, '#users tr[data-user="%s"]' % AUDITOR))
    shown = lambda selector: [node for node in driver.find_elements(By.CSS_SELECTOR, selector) if node.is_displayed()]
    say("auditor-view", json.dumps({
        "state": admin_state(driver)[0],
        "note": driver.find_element(By.ID, "auditor-note").is_displayed(),
        "forms": [form.get_attribute("id") for form in shown("form")],
        "controls": [node.text or node.tag_name for node in shown("#pools button, #sessions button, #users button, #users select, #groups button")],
        "users": len(driver.find_elements(By.CSS_SELECTOR, "#users tr[data-user]")),
        "pools": len(driver.find_elements(By.CSS_SELECTOR, "#pools article")),
    }))

drivers = {}
def steps():
    drivers["alice"] = browser(profile)
    alice_denied(drivers["alice"])
    session = alice_connects(drivers["alice"])
    drivers["admin"] = browser(admin_profile)
    admin_ends(drivers["admin"], session)
    alice_sees_end(drivers["alice"])
    auditor_looks(drivers["admin"])
run(steps, drivers, screenshot)
