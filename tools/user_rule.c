// SPDX-License-Identifier: GPL-2.0-or-later
/* user_rule: which rule of the policy isolates a user's logins. */
#include <pwd.h>
#include <stdlib.h>

#include "policy.h"
#include "user_rule.h"

int tool_isolating_rule(const struct policy *policy, const struct passwd *pw,
			const struct policy_rule **rule)
{
	struct policy_login login = {
	    .user = pw->pw_name, .uid = pw->pw_uid, .gid = pw->pw_gid};
	const struct policy_rule **rules;
	size_t n;

	*rule = NULL;
	if (policy_rules_for_user(policy, &login, &policy_nss_lookup, &rules,
				  &n) < 0)
		return -1;
	for (size_t i = 0; i < n && !*rule; i++)
		if (rules[i]->action != POLICY_NONE)
			*rule = rules[i];
	free(rules);
	return 0;
}
