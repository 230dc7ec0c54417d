// serve's streams from the browser side: a download is an <a download> click (the browser
// streams it to disk), an upload is an XMLHttpRequest PUT of the File (streamed, with progress).

export function startDownload(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function putFile(url: string, file: Blob, onProgress: (sent: number) => void): Promise<{ ok: boolean; status: number; body: string }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => resolve({ ok: false, status: 0, body: '' });
    xhr.send(file);
  });
}
