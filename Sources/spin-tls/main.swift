// spin-tls: sends one outbound https:// request for `spin` through
// FoundationNetworking's URLSession (libcurl), kept in its own process so
// that `spin` itself never loads libcurl (see `TLSWire`).
//
// stdin: one encoded TLSWire.Request. stdout: one encoded TLSWire.Response.
// Redirects are not followed here: `spin` follows them itself after checking
// each hop against the app's allow-list.

import Dispatch
import Foundation
import FoundationNetworking
import SpinTLSWire

final class SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let limit: Int
    let done = DispatchSemaphore(value: 0)
    let lock = NSLock()
    var data: [UInt8] = []
    var response: HTTPURLResponse?
    var failure: TLSWire.Response?

    init(limit: Int) { self.limit = limit }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        lock.withLock { self.response = response as? HTTPURLResponse }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over = lock.withLock { () -> Bool in
            self.data += data
            return self.data.count > limit
        }
        if over {
            lock.withLock {
                failure = .failure(
                    kind: .runtimeError, message: "response body exceeds the limit of \(limit) bytes")
            }
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.withLock {
            if let error, failure == nil {
                let ns = error as NSError
                failure = .failure(
                    kind: .runtimeError,
                    message: ns.code == NSURLErrorTimedOut ? "request timed out" : ns.localizedDescription)
            }
        }
        done.signal()
    }
}

func send(_ req: TLSWire.Request) -> TLSWire.Response {
    guard let url = URL(string: req.url), url.scheme == "https" else {
        return .failure(kind: .invalidURL, message: req.url)
    }
    var r = URLRequest(url: url)
    r.httpMethod = req.method
    r.timeoutInterval = req.timeoutSeconds
    for h in req.headers {  // `spin` already dropped the hop-by-hop ones
        r.setValue(h.value, forHTTPHeaderField: h.name)
    }
    if let body = req.body { r.httpBody = Data(body) }
    let delegate = SessionDelegate(limit: req.maxResponseBytes)
    let config = URLSessionConfiguration.ephemeral
    config.timeoutIntervalForRequest = req.timeoutSeconds
    config.timeoutIntervalForResource = max(1, req.totalSeconds)
    config.httpCookieStorage = nil
    config.urlCache = nil
    let session = URLSession(configuration: config, delegate: delegate, delegateQueue: nil)
    defer { session.finishTasksAndInvalidate() }
    let task = session.dataTask(with: r)
    task.resume()
    if delegate.done.wait(timeout: .now() + max(1, req.totalSeconds)) == .timedOut {
        task.cancel()
        return .failure(kind: .runtimeError, message: "request timed out")
    }
    let (failure, response, data) = delegate.lock.withLock { (delegate.failure, delegate.response, delegate.data) }
    if let failure { return failure }
    guard let response else { return .failure(kind: .runtimeError, message: "no response") }
    var headers: [TLSWire.Header] = []
    for (k, v) in response.allHeaderFields {
        headers.append(TLSWire.Header(name: "\(k)".lowercased(), value: "\(v)"))
    }
    headers.sort { $0.name < $1.name }
    return .response(status: UInt16(clamping: response.statusCode), headers: headers, body: data)
}

let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
let request: TLSWire.Request
do {
    request = try TLSWire.decodeRequest(input)
} catch {
    FileHandle.standardError.write(Data("spin-tls: \(error)\n".utf8))
    exit(2)
}
FileHandle.standardOutput.write(Data(TLSWire.encode(send(request))))
