/**
 * Operations by resource, as the Operation parameter names them. The node has one resource, a
 * member feed, and so no Resource parameter.
 */
export type MemberFeedMap = {
	feed: 'compare' | 'read';
};
