export const id = 552;
export const ids = [552];
export const modules = {

/***/ 9552:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   findReviewedPlan: () => (/* binding */ findReviewedPlan)
/* harmony export */ });
/* harmony import */ var _pr_comment_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1685);
/**
 * The plan a merge was reviewed with: the pull request that brought the pushed commit (GET
 * /repos/{owner}/{repo}/commits/{sha}/pulls), and the plan comment on it. Octokit loads only here.
 */

async function findReviewedPlan(query) {
    const [owner, repo] = query.repository.split('/');
    if (!owner || !repo)
        return { kind: 'none', reason: `repository "${query.repository}" is not owner/name` };
    const { getOctokit } = await Promise.all(/* import() */[__webpack_require__.e(752), __webpack_require__.e(413)]).then(__webpack_require__.bind(__webpack_require__, 2413));
    const octokit = getOctokit(query.token);
    octokit.hook.before('request', (options) => {
        options.request = { ...options.request, signal: query.signal };
    });
    let pulls;
    try {
        pulls = (await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
            owner,
            repo,
            commit_sha: query.sha,
            per_page: 100,
        })).data;
    }
    catch (error) {
        const status = error.status;
        return {
            kind: 'none',
            reason: `the pull request of ${query.sha.slice(0, 7)} could not be looked up (GitHub answered ${status ?? 'nothing'}: ${error.message}; the job needs \`permissions: pull-requests: read\`)`,
        };
    }
    const merged = pulls.find((pull) => pull.merged_at && pull.merge_commit_sha === query.sha) ??
        pulls.find((pull) => pull.merged_at);
    if (!merged)
        return {
            kind: 'none',
            reason: `no merged pull request brought ${query.sha.slice(0, 7)} (a direct push)`,
        };
    const marker = (0,_pr_comment_js__WEBPACK_IMPORTED_MODULE_0__/* .commentMarker */ .Ql)(query.key);
    try {
        for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
            owner,
            repo,
            issue_number: merged.number,
            per_page: 100,
        })) {
            const ours = page.data.find((comment) => comment.body?.startsWith(marker));
            if (ours?.body)
                return { kind: 'found', pullRequest: merged.number, body: ours.body };
        }
    }
    catch (error) {
        const status = error.status;
        return {
            kind: 'none',
            reason: `the comments of pull request #${merged.number} could not be read (GitHub answered ${status ?? 'nothing'})`,
        };
    }
    return {
        kind: 'none',
        reason: `pull request #${merged.number} has no plan comment (comment-on-pr: never, or its plan never ran)`,
    };
}


/***/ })

};
