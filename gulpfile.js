const { src, dest } = require('gulp');

// tsc emits only JavaScript; n8n loads icons and each node's codex (*.node.json) from beside
// the built files. The trigger's sample payload ships too, for `curl -d @samplePayload.json`.
function copyIcons() {
	const assets = ['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'nodes/**/samplePayload.json'];
	return src([...assets, 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = copyIcons;
