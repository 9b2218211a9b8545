/* SPDX-License-Identifier: GPL-2.0-or-later */
/* user_rule: which rule of the policy isolates a user's logins. */
#ifndef NONET_USER_RULE_H
#define NONET_USER_RULE_H

#include "policy.h"

struct passwd;

/*
 * The first rule of @policy that isolates a login of @pw (whatever its
 * conditions) into *@rule, or NULL.  Returns 0, or -1 with errno when the
 * user's groups cannot be looked up.
 */
int tool_isolating_rule(const struct policy *policy, const struct passwd *pw,
			const struct policy_rule **rule);

#endif
