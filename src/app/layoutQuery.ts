/** Below this width the workspace is one column with a Chat / Spec / Runs / Results switcher, and the chat list is a drawer. */
export const NARROW_QUERY = '(max-width: 760px)';
