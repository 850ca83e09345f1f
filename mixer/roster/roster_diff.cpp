// Diffing two normalised roster views into the body of a partial conference-info document.
#include "mixer/roster/roster_diff.hpp"

namespace sidebar::mixer::roster {
namespace {

bool same_description(const ConferenceView& a, const ConferenceView& b) {
    return a.name == b.name && a.max_members == b.max_members;
}

// A changed sidebar: <entry state="partial"> with its changed parts; false when unchanged.
bool write_sidebar_diff(std::string& out, const SidebarView& before, const SidebarView& after) {
    std::string body;
    if (before.subject != after.subject) write_sidebar_description(body, after);
    if (before.users.size() != after.users.size()) write_state(body, after.users.size());
    write_users_diff(body, before.users, after.users, Scope::sidebar);
    if (body.empty()) return false;
    out += "<entry entity=\"";
    out += after.entity;
    out += "\" state=\"partial\">";
    out += body;
    out += "</entry>";
    return true;
}

bool write_sidebars_diff(std::string& out, const ConferenceView& before,
                         const ConferenceView& after) {
    std::string removed;
    std::string changed;
    auto b = before.sidebars.begin();
    auto a = after.sidebars.begin();
    while (b != before.sidebars.end() || a != after.sidebars.end()) {
        if (a == after.sidebars.end() || (b != before.sidebars.end() && b->number < a->number)) {
            removed += "<entry entity=\"" + b->entity + "\" state=\"deleted\"/>";
            ++b;
        } else if (b == before.sidebars.end() || a->number < b->number) {
            write_sidebar_full(changed, *a);
            ++a;
        } else {
            write_sidebar_diff(changed, *b, *a);
            ++a;
            ++b;
        }
    }
    if (removed.empty() && changed.empty()) return false;
    out += "<sidebars-by-val state=\"partial\">";
    out += removed;
    out += changed;
    out += "</sidebars-by-val>";
    return true;
}

}  // namespace

bool write_users_diff(std::string& out, const UserList& before, const UserList& after,
                      Scope scope) {
    // Deletions first: a user whose key moved to another member (see make_view) must be gone
    // before the new holder of the key is added.
    std::string removed;
    std::string changed;
    auto b = before.begin();
    auto a = after.begin();
    while (b != before.end() || a != after.end()) {
        if (a == after.end() || (b != before.end() && (*b)->number < (*a)->number)) {
            write_user_deleted(removed, (*b)->key);
            ++b;
        } else if (b == before.end() || (*a)->number < (*b)->number) {
            write_user_full(changed, **a, scope);
            ++a;
        } else {
            if ((*b)->key != (*a)->key) {
                write_user_deleted(removed, (*b)->key);
                write_user_full(changed, **a, scope);
            } else {
                write_user_partial(changed, **b, **a, scope);
            }
            ++a;
            ++b;
        }
    }
    if (removed.empty() && changed.empty()) return false;
    out += "<users state=\"partial\">";
    out += removed;
    out += changed;
    out += "</users>";
    return true;
}

bool write_conference_diff(std::string& out, const ConferenceView& before,
                           const ConferenceView& after) {
    const std::size_t start = out.size();
    // conference-description and conference-state have no key: when sent they are sent whole.
    if (!same_description(before, after)) write_main_description(out, after);
    if (before.users.size() != after.users.size()) write_state(out, after.users.size());
    write_users_diff(out, all_users(before), all_users(after), Scope::main);
    write_sidebars_diff(out, before, after);
    return out.size() != start;
}

}  // namespace sidebar::mixer::roster
